/** Units' public face for other domains: the search keys other writers keep and the one unit search. */
export { residentNameKeys } from './search-key.ts';
export { currentUnitsOf, reindexUnitSearch } from './search-terms.ts';
export { searchUnits, type UnitSearchHit } from './unit-search.ts';
export { unitCreateBody } from './schemas.ts';
export { createUnit, newUnitValues, updateUnit } from './service.ts';
export { normalizeBlock, parseUnitAddress, type UnitAddress, unitAddressFromParts } from './unit-address.ts';
