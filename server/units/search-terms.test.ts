import { describe, expect, it } from 'vitest';
import { unitSearchTerms } from './search-terms.ts';

describe('unitSearchTerms', () => {
  it('holds the code, the house number and every word-suffix of each current name, without case or accents', () => {
    const terms = unitSearchTerms({ search_key: 'a12', number_key: '12' }, [
      { name: 'Budi Santoso Wijaya', phone: null, directory_opt_in: true },
      { name: 'Ñoman Āyu', phone: null, directory_opt_in: 0 },
    ]);
    expect(terms).toEqual([
      { term: 'a12', kind: 'code', listed: true },
      { term: '12', kind: 'number', listed: true },
      { term: 'budisantosowijaya', kind: 'name', listed: true },
      { term: 'santosowijaya', kind: 'name', listed: true },
      { term: 'wijaya', kind: 'name', listed: true },
      { term: 'nomanayu', kind: 'name', listed: false },
      { term: 'ayu', kind: 'name', listed: false },
    ]);
  });

  it("adds each resident's phone as its E.164 digits, and writes a term once however often it comes", () => {
    const terms = unitSearchTerms({ search_key: 'ruko3', number_key: 'ruko3' }, [
      { name: 'Siti', phone: '+628112345678', directory_opt_in: false },
      { name: 'siti', phone: '+628112345678', directory_opt_in: false },
    ]);
    expect(terms).toEqual([
      { term: 'ruko3', kind: 'code', listed: true },
      { term: 'siti', kind: 'name', listed: false },
      { term: '628112345678', kind: 'phone', listed: false },
    ]);
  });
});
