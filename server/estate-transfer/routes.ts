import { BadRequestError, NotFoundError, PayloadTooLargeError } from '../http/errors.ts';
import { defineRoutes } from '../http/route.ts';
import { estateExportParams, estateImportResponse } from './schemas.ts';
import { exportEstate, importEstate, importMaxBytes } from './service.ts';

const tags = ['estate-transfer'];

const ARCHIVE_TYPES = ['application/gzip', 'application/x-gzip', 'application/x-tar', 'application/octet-stream'];

/** A file name that survives any header: the estate's name in plain letters, then the date. */
function archiveName(estateName: string, exportedAt: string): string {
  const slug = estateName
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase()
    .slice(0, 60);
  return `klustera-${slug || 'perumahan'}-${exportedAt.slice(0, 10)}.tar.gz`;
}

export const estateTransferRoutes = defineRoutes([
  {
    method: 'get',
    path: '/estates/:estate_id/export',
    permission: 'estates.export',
    tags,
    summary:
      "The whole estate as one archive (.tar.gz: every table's rows as JSON lines, uploaded files, a manifest with sha256s), for POST /platform/estates/import on another installation",
    params: estateExportParams,
    raw: true,
    produces: ['application/gzip'],
    handler: async ({ app, params, res }) => {
      const manifest = await exportEstate(app.db, params.estate_id, app.sync.siteId, (m) => {
        res.status(200);
        res.setHeader('Content-Type', 'application/gzip');
        res.setHeader('Content-Disposition', `attachment; filename="${archiveName(m.estate_name, m.exported_at)}"`);
        res.setHeader('Cache-Control', 'no-store');
        return res;
      });
      if (!manifest) throw new NotFoundError('Perumahan');
    },
  },
  {
    method: 'post',
    path: '/platform/estates/import',
    permission: 'platform.manage',
    tags,
    summary:
      'Import an estate archive made by GET /estates/{id}/export as a new estate, in one transaction (409 ESTATE_EXISTS, 422 ARCHIVE_TAMPERED / ARCHIVE_SCHEMA_NEWER / ARCHIVE_INVALID, 413 ARCHIVE_TOO_LARGE, 503 FILE_STORAGE_UNAVAILABLE when files go to a bucket out of reach)',
    raw: true,
    status: 201,
    produces: ['application/json'],
    response: estateImportResponse,
    handler: async ({ app, req, res, actor }) => {
      const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      if (!ARCHIVE_TYPES.includes(type)) {
        throw new BadRequestError('ARCHIVE_CONTENT_TYPE', 'Kirim arsip perumahan (.tar.gz) sebagai isi permintaan.');
      }
      const maxBytes = importMaxBytes();
      if (Number(req.headers['content-length'] ?? 0) > maxBytes)
        throw new PayloadTooLargeError('ARCHIVE_TOO_LARGE', 'Arsip perumahan terlalu besar.');
      const loaded = await importEstate(app.db, req, { actor, sync: app.sync, maxBytes });
      res.status(201).json(loaded);
    },
  },
]);
