import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clientNetwork, rateLimitHeaders, rateLimitKey } from '@app/http';

describe('rate limit keys', () => {
  it('count an authenticated principal as itself, wherever it calls from', () => {
    const principal = { subject: 'user-7', customerId: 'customer-7', roles: [], anonymous: false };
    assert.equal(rateLimitKey({ principal, ip: '10.0.0.1' }), 'principal:user-7');
    assert.equal(rateLimitKey({ principal, ip: '10.0.0.2' }), 'principal:user-7');
  });

  it('count anyone else by client address: no principal, or an anonymous one (authentication off)', () => {
    assert.equal(rateLimitKey({ ip: '203.0.113.9' }), 'ip:203.0.113.9');
    const anonymous = { subject: 'anonymous', customerId: '', roles: [], anonymous: true };
    assert.equal(rateLimitKey({ principal: anonymous, ip: '203.0.113.9' }), 'ip:203.0.113.9');
  });

  it('take an IPv4-mapped address as IPv4 and an IPv6 address as its /64', () => {
    assert.equal(clientNetwork('::ffff:192.0.2.1'), '192.0.2.1');
    assert.equal(clientNetwork('2001:db8:0:1::1'), '2001:db8:0:1::/64');
    assert.equal(clientNetwork('2001:0db8:0000:0001:ffff:1:2:3'), '2001:db8:0:1::/64');
    assert.equal(clientNetwork('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(clientNetwork('::1'), '0:0:0:0::/64');
    assert.equal(clientNetwork('fe80::1%eth0'), 'fe80:0:0:0::/64');
  });
});

describe('rate limit headers', () => {
  it('name the policy and what is left of it, as the IETF RateLimit fields do', () => {
    assert.deepEqual(
      rateLimitHeaders({ budget: 'bulk', limit: 10, windowSeconds: 60, remaining: 3, resetSeconds: 42 }),
      { 'RateLimit-Policy': '"bulk";q=10;w=60', RateLimit: '"bulk";r=3;t=42' },
    );
  });
});
