import assert from 'node:assert/strict';
import net from 'node:net';
import { takeNetViolations } from '../setup/net-guard';

describe('test network guard', () => {
  it('refuses a connection to a non-loopback address', () => {
    assert.throws(() => net.connect({ host: '192.0.2.1', port: 443 }), /only loopback is allowed/);
    assert.equal(takeNetViolations().length, 1);
  });
});
