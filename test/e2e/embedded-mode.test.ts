import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { orderDraft, request } from '../support/http';
import { startTestApp } from '../support/test-app';

describe('embedded mode (no DATABASE_URL)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'orders-embedded-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('serves the API on PGlite and keeps orders across a restart', async () => {
    const first = await startTestApp({ DATA_DIR: dataDir });
    let id: string;
    try {
      const placed = await request(first.baseUrl, 'POST', '/api/orders', { body: orderDraft() });
      assert.equal(placed.status, 201);
      id = placed.body.id;
      const confirmed = await request(first.baseUrl, 'POST', `/api/orders/${id}/confirm`);
      assert.equal(confirmed.body.status, 'CONFIRMED');
      assert.equal((await request(first.baseUrl, 'GET', '/health/ready')).status, 200);
    } finally {
      await first.close();
    }

    const second = await startTestApp({ DATA_DIR: dataDir });
    try {
      const fetched = await request(second.baseUrl, 'GET', `/api/orders/${id}`);
      assert.equal(fetched.status, 200);
      assert.equal(fetched.body.status, 'CONFIRMED');
      assert.equal(fetched.body.version, 2);
    } finally {
      await second.close();
    }
  });
});
