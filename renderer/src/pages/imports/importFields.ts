/**
 * Fields a spreadsheet column can be mapped to, used when the server's preview does not list them itself. Keep in
 * step with the import service's recognised fields; labels are `imports.field_<name>` in the dictionaries.
 */
export const DEFAULT_IMPORT_FIELDS = [
  'unit_code',
  'block',
  'number',
  'type',
  'occupancy',
  'land_area_m2',
  'building_area_m2',
  'owner_name',
  'occupant_name',
  'phone',
  'email',
  'relation',
  'notes',
] as const;
