import { describe, expect, it } from 'vitest';
import { ApiError, apiErrorFromBody } from './errors.ts';
import { buildUrl } from './client.ts';

describe('apiErrorFromBody', () => {
  it('keeps code, message and field of the server error', () => {
    const error = apiErrorFromBody(400, { error: { code: 'VALIDATION_FAILED', message: 'Tidak boleh negatif.', field: 'land_area_m2' } });
    expect(error).toBeInstanceOf(ApiError);
    expect([error.status, error.code, error.message, error.field]).toEqual([
      400,
      'VALIDATION_FAILED',
      'Tidak boleh negatif.',
      'land_area_m2',
    ]);
  });

  it('turns a body without the error shape into BAD_RESPONSE', () => {
    expect(apiErrorFromBody(502, '<html>').code).toBe('BAD_RESPONSE');
    expect(apiErrorFromBody(500, null).code).toBe('BAD_RESPONSE');
  });
});

describe('buildUrl', () => {
  it('drops empty query values', () => {
    expect(buildUrl('/estates/e1/units', { q: 'A-12', block: '', type: undefined, offset: 0, limit: 50 })).toBe(
      '/api/v1/estates/e1/units?q=A-12&offset=0&limit=50',
    );
  });
});
