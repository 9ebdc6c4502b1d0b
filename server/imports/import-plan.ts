import {
  cleanName,
  occupancyOf,
  parseArea,
  parseEmail,
  parseHouseModel,
  parseTenure,
  parseUnitType,
  sameName,
  type Occupancy,
  type Tenure,
  type UnitType,
} from './cell-values.ts';
import { findHeaderRow, mapColumns, type ImportColumn, type ImportField, type MappingOverride } from './column-mapping.ts';
import { IMPORT_LIMITS, ImportFileError } from './import-file-error.ts';
import { normalizePhone } from './phone.ts';
import type { Sheet, SheetRow } from './read-sheet.ts';
import { normalizeBlock, parseUnitAddress, unitAddressFromParts, type UnitAddress } from '../units/index.ts';

export interface PlannedUnit {
  code: string;
  block: string | null;
  type: UnitType;
  land_area_m2: number | null;
  building_area_m2: number | null;
  occupancy: Occupancy;
  notes: string | null;
}

export type ResidentRelation = 'owner' | 'tenant' | 'family';

export interface PlannedResident {
  name: string;
  phone: string | null;
  email: string | null;
  relation: ResidentRelation;
}

export interface RowError {
  field: string;
  message: string;
}

export interface PlannedRow {
  row_number: number; // the row number the treasurer sees in the sheet
  unit_code: string | null;
  unit: PlannedUnit | null;
  residents: PlannedResident[];
  errors: RowError[];
}

export interface ImportPlan {
  sheet: string;
  header_row: number;
  columns: ImportColumn[];
  unmapped_columns: { index: number; header: string }[];
  rows: PlannedRow[];
}

const MAX_NAME_LENGTH = 200;
// Totals and signature lines under the table ("Jumlah rumah: 150", "Mengetahui, Ketua RT").
const FOOTER_WORDS = /^(jumlah|total|sub ?total|catatan|keterangan|sumber|dibuat|mengetahui|ttd|tanda tangan)\b/i;
const MAX_NOTES_LENGTH = 2000;

/**
 * Reads the treasurer's sheet into one planned unit (with its residents) per data row, without touching the
 * database. Rows that cannot be read carry errors naming the column and are skipped when the plan is applied.
 */
export function planImport(sheets: Sheet[], override?: MappingOverride): ImportPlan {
  const chosen = chooseSheet(sheets);
  if (!chosen) throw new ImportFileError('EMPTY_FILE', 'Berkas tidak berisi baris untuk diimpor.');
  const { sheet, header } = chosen;
  const dataRows = sheet.rows.slice(header.position + 1);
  if (dataRows.length > IMPORT_LIMITS.maxDataRows) {
    throw new ImportFileError('TOO_MANY_ROWS', `Lembar berisi lebih dari ${IMPORT_LIMITS.maxDataRows} baris.`);
  }
  const width = dataRows.reduce((widest, row) => Math.max(widest, row.cells.length), header.row.cells.length);
  const columns = mapColumns(header.row.cells, width, override);
  const reader = new RowReader(columns, header.row.cells);
  const rows: PlannedRow[] = [];
  const firstRowOfCode = new Map<string, number>();
  for (const row of dataRows) {
    const planned = reader.read(row);
    if (!planned) continue;
    if (planned.unit_code) {
      const first = firstRowOfCode.get(planned.unit_code);
      if (first !== undefined) {
        planned.errors.push({ field: reader.identityField(), message: `Unit ${planned.unit_code} sudah ada di baris ${first}.` });
      } else {
        firstRowOfCode.set(planned.unit_code, planned.row_number);
      }
    }
    rows.push(planned);
  }
  return {
    sheet: sheet.name,
    header_row: header.row.number,
    columns,
    unmapped_columns: columns
      .filter((column) => column.field === null && column.header !== '')
      .map(({ index, header: text }) => ({ index, header: text })),
    rows,
  };
}

function chooseSheet(sheets: Sheet[]) {
  let best: { sheet: Sheet; header: NonNullable<ReturnType<typeof findHeaderRow>> } | null = null;
  for (const sheet of sheets) {
    const header = findHeaderRow(sheet.rows);
    if (header && (!best || header.score > best.header.score)) best = { sheet, header };
  }
  return best;
}

/** Walks the data rows in order, remembering section titles (`RUKO`) and the block written once above its houses. */
class RowReader {
  private sectionType: UnitType = 'rumah';
  private sectionBlock: string | null = null;
  private lastBlock: string | null = null;
  private readonly byField = new Map<ImportField, number>();

  constructor(
    private readonly columns: ImportColumn[],
    private readonly headerCells: string[],
  ) {
    for (const column of columns) if (column.field && !this.byField.has(column.field)) this.byField.set(column.field, column.index);
  }

  identityField(): string {
    if (this.byField.has('number')) return 'number';
    return this.byField.has('address') ? 'address' : 'number';
  }

  read(row: SheetRow): PlannedRow | null {
    const get = (field: ImportField) => {
      const index = this.byField.get(field);
      return index === undefined ? '' : (row.cells[index] ?? '').trim();
    };
    const filled = row.cells.map((cell, index) => ({ cell: cell.trim(), index })).filter(({ cell }) => cell !== '');
    if (filled.length === 0 || this.repeatsHeader(row)) return null;
    if (filled.length === 1 && this.readSectionTitle(filled[0].cell, filled[0].index)) return null;
    const readField = (index: number) => {
      const field = this.columns[index]?.field;
      return field !== null && field !== undefined && field !== 'sequence' && field !== 'ignore';
    };
    if (!filled.some(({ index }) => readField(index))) return null;

    const errors: RowError[] = [];
    const address = this.readAddress(get);
    if (!address) errors.push({ field: this.identityField(), message: 'Blok dan nomor rumah tidak ditemukan di baris ini.' });

    let type = this.sectionType;
    let landArea = readArea(get('land_area_m2'), 'land_area_m2', errors);
    let buildingArea = readArea(get('building_area_m2'), 'building_area_m2', errors);
    const typeText = get('type');
    if (typeText !== '') {
      const model = parseHouseModel(typeText);
      const word = parseUnitType(typeText);
      if (word) type = word;
      else if (model) {
        buildingArea ??= model.building;
        landArea ??= model.land;
      } else errors.push({ field: 'type', message: `Tipe unit "${typeText}" tidak dikenal; gunakan Rumah, Ruko atau Kavling.` });
    }

    const ownerName = cleanName(get('owner_name'));
    const occupantName = cleanName(get('occupant_name'));
    const tenureResult = parseTenure(get('status'));
    let tenure: Tenure;
    if (!tenureResult.ok) {
      errors.push({ field: 'status', message: tenureResult.message });
      tenure = 'owner_occupied';
    } else tenure = tenureResult.value ?? inferTenure(ownerName, occupantName);

    const residents = residentsFor(tenure, ownerName, occupantName);
    this.assignContacts(residents, get, errors);
    for (const resident of residents) {
      if (resident.name.length > MAX_NAME_LENGTH)
        errors.push({ field: resident.relation === 'owner' ? 'owner_name' : 'occupant_name', message: 'Nama terlalu panjang.' });
    }
    const notes = get('notes') || null;
    if (notes && notes.length > MAX_NOTES_LENGTH) errors.push({ field: 'notes', message: 'Keterangan terlalu panjang.' });

    return {
      row_number: row.number,
      unit_code: address?.code ?? null,
      unit: address
        ? {
            code: address.code,
            block: address.block,
            type,
            land_area_m2: landArea,
            building_area_m2: buildingArea,
            occupancy: occupancyOf(tenure),
            notes,
          }
        : null,
      residents,
      errors,
    };
  }

  private repeatsHeader(row: SheetRow): boolean {
    // Sheets printed over several pages often repeat the header row; it is not a unit.
    const cells = row.cells.map((cell) => cell.trim().toLowerCase());
    return this.headerCells.length > 1 && this.headerCells.every((header, index) => header.trim().toLowerCase() === (cells[index] ?? ''));
  }

  /** A row holding one word like `RUKO` or `Blok C` sets the type or block of the rows below it. */
  private readSectionTitle(text: string, index: number): boolean {
    const field = this.columns[index]?.field;
    const type = parseUnitType(text);
    if (type) {
      this.sectionType = type;
      this.lastBlock = null;
      return true;
    }
    const block = text.match(/^(?:blok|block)\s+(\S{1,6})$/i);
    if (block) {
      this.sectionBlock = normalizeBlock(block[1]);
      this.lastBlock = null;
      return true;
    }
    if (FOOTER_WORDS.test(text)) return true;
    // Other lone text (a sub-title) is not a unit; a lone name or address still is, so it gets reported instead of
    // silently dropped.
    return !['owner_name', 'occupant_name', 'address', 'number', 'phone', 'owner_phone', 'occupant_phone', 'email'].includes(field ?? '');
  }

  private readAddress(get: (field: ImportField) => string): UnitAddress | null {
    const number = get('number');
    if (number !== '') {
      const written = get('block');
      // A block written once above (or merged over) its houses applies to the rows below it.
      const block = written !== '' ? written : (this.lastBlock ?? this.sectionBlock ?? '');
      if (written !== '') this.lastBlock = written;
      return unitAddressFromParts(block, number);
    }
    const address = get('address');
    if (address === '') return null;
    const parsed = parseUnitAddress(address);
    if (parsed && !parsed.block && this.sectionBlock) return unitAddressFromParts(this.sectionBlock, parsed.number);
    return parsed;
  }

  private assignContacts(residents: PlannedResident[], get: (field: ImportField) => string, errors: RowError[]): void {
    const owner = residents.find((resident) => resident.relation === 'owner');
    const occupant = residents.find((resident) => resident.relation !== 'owner');
    // The sheet's single phone / e-mail column is for the person living there: the one the RT contacts.
    const contact = occupant ?? owner;
    const targets: [ImportField, PlannedResident | undefined][] = [
      ['phone', contact],
      ['owner_phone', owner],
      ['occupant_phone', occupant ?? owner],
    ];
    for (const [field, target] of targets) {
      const text = get(field);
      if (text === '') continue;
      const phone = normalizePhone(text);
      if (!phone.ok) errors.push({ field, message: phone.message });
      else if (target && phone.phone && !target.phone) target.phone = phone.phone;
    }
    const email = parseEmail(get('email'));
    if (!email.ok) errors.push({ field: 'email', message: email.message });
    else if (contact && email.value) contact.email = email.value;
  }
}

function readArea(text: string, field: string, errors: RowError[]): number | null {
  const area = parseArea(text);
  if (area.ok) return area.value;
  errors.push({ field, message: area.message });
  return null;
}

/** Without a status column: two different names mean a tenant lives there, any name means someone does. */
function inferTenure(ownerName: string | null, occupantName: string | null): Tenure {
  if (ownerName && occupantName && !sameName(ownerName, occupantName)) return 'rented';
  return ownerName || occupantName ? 'owner_occupied' : 'vacant';
}

/**
 * Pemilik: the owner lives there (an occupant with another name is family). Kontrak/Sewa: the owner plus the
 * tenant. Kosong: only the owner, who still pays the dues.
 */
function residentsFor(tenure: Tenure, ownerName: string | null, occupantName: string | null): PlannedResident[] {
  const person = (name: string, relation: ResidentRelation): PlannedResident => ({ name, phone: null, email: null, relation });
  const residents: PlannedResident[] = [];
  if (tenure === 'rented') {
    if (ownerName) residents.push(person(ownerName, 'owner'));
    if (occupantName && !(ownerName && sameName(ownerName, occupantName))) residents.push(person(occupantName, 'tenant'));
    return residents;
  }
  if (tenure === 'vacant' || tenure === 'under_construction') {
    if (ownerName) residents.push(person(ownerName, 'owner'));
    return residents;
  }
  const owner = ownerName ?? occupantName;
  if (owner) residents.push(person(owner, 'owner'));
  if (ownerName && occupantName && !sameName(ownerName, occupantName)) residents.push(person(occupantName, 'family'));
  return residents;
}
