import { messageLanguage, type MessageLanguage } from '../http/accept-language.ts';
import { translateMessage } from '../http/error-language.ts';
import { AppError, ValidationError } from '../http/errors.ts';
import { defineRoutes } from '../http/route.ts';
import { estateParams, idParams } from '../http/schemas.ts';
import { IMPORT_FIELDS, type MappingOverride } from './column-mapping.ts';
import { IMPORT_LIMITS, ImportFileError } from './import-file-error.ts';
import { planImport } from './import-plan.ts';
import { enqueueImport, importJobView } from './import-job.ts';
import { importUnits } from './import-units.ts';
import { readSheets } from './read-sheet.ts';
import { importFields, importJobResponse, importQuery, importResponse, mappingOverride } from './schemas.ts';

function parseMapping(text: string | undefined): MappingOverride | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ValidationError('Pemetaan kolom bukan JSON yang sah.', 'mapping', 'INVALID_MAPPING');
  }
  const parsed = mappingOverride.safeParse(json);
  if (!parsed.success) {
    throw new ValidationError(
      `Pemetaan kolom tidak sah: pakai {"<nomor kolom>": "<${IMPORT_FIELDS.join('|')}>"}.`,
      'mapping',
      'INVALID_MAPPING',
    );
  }
  return parsed.data;
}

/**
 * Row errors are sentences in Indonesian like every server message; an English reader gets them through the same
 * catalog the error responses use, so the preview never shows a sentence the treasurer cannot read.
 */
function inLanguage<T extends { rows: Array<{ errors: Array<{ message: string }> }> }>(result: T, language: MessageLanguage): T {
  if (language === 'id') return result;
  const rows = result.rows.map((row) =>
    row.errors.length === 0 ? row : { ...row, errors: row.errors.map((e) => ({ ...e, message: translateMessage(e.message, language) })) },
  );
  return { ...result, rows };
}

export const importRoutes = defineRoutes([
  {
    method: 'post',
    path: '/estates/:estate_id/imports/units',
    permission: 'imports.write',
    summary: "Import units and residents from the treasurer's spreadsheet (.xlsx or .csv); ?dry_run=1 previews",
    tags: ['imports'],
    params: estateParams,
    query: importQuery,
    body: importFields,
    response: importResponse,
    upload: { field: 'file', maxBytes: IMPORT_LIMITS.maxFileBytes },
    handler: async ({ store, file, query, body, req }) => {
      const language = messageLanguage(req.headers['accept-language']);
      if (!file) throw new ValidationError('Pilih berkas .xlsx atau .csv untuk diimpor.', 'file');
      const mapping = parseMapping(body.mapping);
      try {
        const plan = planImport(await readSheets(file.buffer, file.originalname), mapping);
        if (!query.background || query.dry_run) return inLanguage(await importUnits(store!, plan, query.dry_run), language);
        // What the job will write is known now (and a bad sheet answered now); the writing itself is the job's.
        const preview = await importUnits(store!, plan, true);
        return inLanguage({ ...preview, dry_run: false, job_id: await enqueueImport(store!, plan) }, language);
      } catch (error) {
        if (error instanceof ImportFileError) throw new AppError(error.status, error.code, error.message, error.field);
        throw error;
      }
    },
  },
  {
    method: 'get',
    path: '/estates/:estate_id/imports/units/jobs/:id',
    permission: 'imports.write',
    summary: 'A background import: rows written so far of all, and its summary once done',
    tags: ['imports'],
    params: idParams,
    response: importJobResponse,
    handler: ({ store, params }) => importJobView(store!, params.id),
  },
]);
