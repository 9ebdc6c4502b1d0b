import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRoutes } from '../../server/http/routes-index.ts';
import { apiClient, startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe('OpenAPI document', () => {
  it('describes every route with its permission, generated from the zod schemas', async () => {
    const doc = (await apiClient(server.url).get('/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    for (const r of allRoutes) {
      const op = doc.paths['/api/v1' + r.path.replace(/:(\w+)/g, '{$1}')]?.[r.method];
      expect(op, `${r.method} ${r.path}`).toBeDefined();
      expect(op['x-permission']).toBe(r.permission);
    }
    const createUnit = doc.paths['/api/v1/estates/{estate_id}/units'].post;
    const schema = createUnit.requestBody.content['application/json'].schema;
    expect(schema.properties.type.enum).toEqual(['rumah', 'ruko', 'kavling', 'other']);
    expect(schema.required).toContain('code');
    const list = doc.paths['/api/v1/estates/{estate_id}/units'].get;
    expect(list.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['estate_id', 'q', 'block', 'limit', 'offset']),
    );
  });

  it('documents every answer: a response schema for each JSON route, the content types of raw ones', async () => {
    const doc = (await apiClient(server.url).get('/openapi.json')).body;
    const missing: string[] = [];
    for (const r of allRoutes) {
      const name = `${r.method} ${r.path}`;
      const status = String(r.status ?? 200);
      const answer = doc.paths['/api/v1' + r.path.replace(/:(\w+)/g, '{$1}')][r.method].responses[status];
      if (r.raw) {
        if (!r.produces?.length) missing.push(`${name}: raw without produces`);
        else expect(Object.keys(answer.content ?? {}), name).toEqual(r.produces);
        // A raw route that answers JSON documents the shape of that JSON like any other route.
        if (r.produces?.includes('application/json')) {
          if (!r.response) missing.push(`${name}: writes JSON without a response schema`);
          else
            expect(answer.content['application/json'].schema?.type ?? answer.content['application/json'].schema?.anyOf, name).toBeTruthy();
        }
      } else if (r.status === 204) {
        expect(r.response, name).toBeUndefined();
        expect(answer.content, name).toBeUndefined();
      } else if (!r.response) {
        missing.push(`${name}: no response schema`);
      } else {
        expect(answer.content?.['application/json']?.schema, name).toBeTruthy();
      }
    }
    expect(missing).toEqual([]);
    const unit = doc.paths['/api/v1/estates/{estate_id}/units/{id}'].get.responses['200'].content['application/json'].schema;
    expect(unit.properties.type.enum).toEqual(['rumah', 'ruko', 'kavling', 'other']);
    expect(unit.required).toEqual(expect.arrayContaining(['id', 'code', 'residents']));
  });

  it('documents the JSON form of every report beside its .xlsx and PDF forms', async () => {
    const doc = (await apiClient(server.url).get('/openapi.json')).body;
    const reports = allRoutes.filter((r) => r.path.startsWith('/estates/:estate_id/reports/'));
    expect(reports.map((r) => r.path.split('/').pop()).sort()).toEqual([
      'account-card',
      'arrears',
      'collection',
      'monthly',
      'payment-history',
    ]);
    const schemaOf = (name: string) => {
      const content = doc.paths[`/api/v1/estates/{estate_id}/reports/${name}`].get.responses['200'].content;
      expect(content['application/pdf'], name).toEqual({});
      return content['application/json'].schema;
    };
    for (const r of reports) {
      expect(r.response, r.path).toBeDefined();
      expect(schemaOf(r.path.split('/').pop()!)?.type, r.path).toBe('object');
    }
    expect(schemaOf('arrears').required).toEqual(expect.arrayContaining(['periods', 'grid', 'list', 'totals']));
    expect(schemaOf('monthly').properties.transactions.items.properties.direction.enum).toEqual(['in', 'out']);
    expect(schemaOf('collection').properties.months.items.required).toEqual(expect.arrayContaining(['billed', 'collected', 'rate']));
    expect(schemaOf('payment-history').properties.payments.items.required).toEqual(expect.arrayContaining(['number', 'to_credit']));
    expect(schemaOf('account-card').required).toEqual(expect.arrayContaining(['lines', 'closing_balance']));
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const res = await apiClient(server.url).get('/tidak-ada');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });
});
