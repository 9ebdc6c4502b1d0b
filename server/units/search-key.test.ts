import { describe, expect, it } from 'vitest';
import { phoneSearchPrefix, prefixUpperBound, querySearchKey, residentNameKeys, unitSearchKeys } from './search-key.ts';

describe('unit search keys', () => {
  it('reduces every spelling of a code to one key', () => {
    for (const typed of ['a12', 'A-12', 'a 12', 'A/12', 'A-012', 'A.12', 'Blok A No. 12']) expect(querySearchKey(typed), typed).toBe('a12');
  });

  it('keys a stored code whole and by its house number', () => {
    expect(unitSearchKeys('A-12')).toEqual({ search_key: 'a12', number_key: '12' });
    expect(unitSearchKeys('FASUM-1A')).toEqual({ search_key: 'fasum1a', number_key: '1a' });
    expect(unitSearchKeys('CLUSTER-MAWAR')).toEqual({ search_key: 'clustermawar', number_key: 'clustermawar' });
  });

  it('keys a name from its first and second word, without accents or case', () => {
    expect(residentNameKeys('Ñoman Āyu Lestari')).toEqual({ name_key: 'nomanayulestari', name_key2: 'ayulestari' });
    expect(residentNameKeys('Siti')).toEqual({ name_key: 'siti', name_key2: null });
  });

  it('reads a phone typed the local or the international way as the start of a stored E.164 number', () => {
    for (const typed of ['0811-2345', '0811 2345', '+62 811 2345', '628112345', '(0811) 2345'])
      expect(phoneSearchPrefix(typed), typed).toBe('+628112345');
    for (const typed of ['12', 'A-12', '081', '811-2345', 'Budi 0811']) expect(phoneSearchPrefix(typed), typed).toBeNull();
  });

  it('bounds a prefix range from above within the key alphabet', () => {
    expect(prefixUpperBound('a12')).toBe('a13');
    expect(prefixUpperBound('a19')).toBe('a1a');
    expect(prefixUpperBound('az')).toBe('b');
    expect(prefixUpperBound('zz')).toBeNull();
  });
});
