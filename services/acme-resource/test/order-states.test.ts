import { authorizationStatus } from '../src/domain/state/authorization-status.js';
import { orderStatus } from '../src/domain/state/order-status.js';
import type { AuthorizationRecord, OrderRecord } from '../src/domain/state/records.js';

// RFC 8555 §7.1.6, order and authorization state diagrams, with the clock given.
const order: OrderRecord = {
  id: 'o',
  accountId: 'a',
  kind: 'dns',
  identifiers: [{ type: 'dns', value: 'a.example.test' }],
  authorizationIds: ['z1', 'z2'],
  expires: 1_000,
  createdAt: 0,
};
const authz = (status: AuthorizationRecord['status'], expires = 500): AuthorizationRecord => ({
  id: 'z',
  accountId: 'a',
  orderId: 'o',
  identifier: { type: 'dns', value: 'a.example.test' },
  wildcard: false,
  status,
  expires,
  challenges: [],
});

describe('authorization states (§7.1.6)', () => {
  it('keeps pending and valid until expires, then shows expired; other states are final', () => {
    expect(authorizationStatus(authz('pending'), 499)).toBe('pending');
    expect(authorizationStatus(authz('pending'), 500)).toBe('expired');
    expect(authorizationStatus(authz('valid'), 500)).toBe('expired');
    expect(authorizationStatus(authz('invalid'), 900)).toBe('invalid');
    expect(authorizationStatus(authz('deactivated'), 900)).toBe('deactivated');
  });
});

describe('order states (§7.1.6)', () => {
  it('is pending until every authorization is valid, then ready', () => {
    expect(orderStatus(order, [authz('valid'), authz('pending')], 100)).toBe('pending');
    expect(orderStatus(order, [authz('valid'), authz('valid')], 100)).toBe('ready');
  });

  it('is invalid when an authorization fails, is deactivated, expires or is gone, or the order expires', () => {
    expect(orderStatus(order, [authz('valid'), authz('invalid')], 100)).toBe('invalid');
    expect(orderStatus(order, [authz('deactivated'), authz('pending')], 100)).toBe('invalid');
    expect(orderStatus(order, [authz('valid'), authz('pending')], 600)).toBe('invalid');
    expect(orderStatus(order, [authz('valid'), null], 100)).toBe('invalid');
    expect(orderStatus(order, [authz('valid', 5_000), authz('valid', 5_000)], 1_000)).toBe('invalid');
  });

  it('keeps processing, valid and invalid once finalization set them', () => {
    expect(orderStatus({ ...order, finalization: 'processing' }, [authz('valid')], 100)).toBe('processing');
    expect(orderStatus({ ...order, finalization: 'valid' }, [authz('valid')], 5_000)).toBe('valid');
    expect(orderStatus({ ...order, finalization: 'invalid' }, [authz('valid')], 100)).toBe('invalid');
  });
});
