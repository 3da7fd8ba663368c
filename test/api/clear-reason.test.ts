/** A cleared AlertEvent's reason is part of the documented contract and survives the store and the API. */
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../core/alert.js';
import { orphanedAlerts } from '../../core/rules/orphans.js';
import { Feed, registryWith } from '../helpers/rule-run.js';
import { type ApiFixture, createFixture } from './fixture.js';

let f: ApiFixture | undefined;
afterEach(async () => {
  await f?.store.close();
  f = undefined;
});

describe('the clear reason', () => {
  it('is documented in OpenAPI on AlertEvent with its values', async () => {
    f = createFixture();
    const doc = (await (await f.app.request('/openapi.json')).json()) as {
      components: { schemas: Record<string, { properties: Record<string, { enum?: string[] }> }> };
    };
    expect(doc.components.schemas.AlertEvent?.properties.reason?.enum).toEqual([
      'rule-disabled',
      'device-removed',
    ]);
  });

  it('is kept in the alert history the API serves', async () => {
    f = createFixture();
    const feed = new Feed('d-0001');
    feed.push({ chlorine: 0.1 });
    const raised = feed.push({ chlorine: 0.1 }).events;
    const cleared = orphanedAlerts(
      raised.map((e) => e.alert),
      registryWith([{ rule: 'chlorine-plant', enabled: false }]),
      Date.parse(raised[0]!.at) + 60_000,
    );
    await f.store.appendAlertEvents([...raised, ...cleared]);
    const res = await f.call(`/api/v1/alerts/${raised[0]!.alert.id}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { active: boolean; events: AlertEvent[] };
    expect(body.active).toBe(false);
    expect(body.events.map((e) => [e.type, e.reason])).toEqual([
      ['raised', undefined],
      ['cleared', 'rule-disabled'],
    ]);
  });
});
