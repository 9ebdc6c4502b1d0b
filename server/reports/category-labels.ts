import { categoryName } from '../../shared/cash-categories.ts';

/**
 * Indonesian names of cash-book categories as they appear in the reports: the built-in names, the estate's own
 * categories as the treasurer typed them (`own`, code → name), and any other code with underscores as spaces.
 */
export function categoryLabel(code: string, own?: ReadonlyMap<string, string>): string {
  return categoryName(code, 'id', own);
}
