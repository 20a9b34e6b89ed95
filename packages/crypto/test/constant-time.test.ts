import { constantTimeEqual } from '../src/index.js';

describe('constantTimeEqual', () => {
  it('is true only for identical contents', () => {
    expect(constantTimeEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 3))).toBe(true);
    expect(constantTimeEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 4))).toBe(false);
    expect(constantTimeEqual('token', 'token')).toBe(true);
    expect(constantTimeEqual('token', 'tokeN')).toBe(false);
  });

  it('handles different lengths, including a prefix and zero padding, without throwing', () => {
    expect(constantTimeEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 3))).toBe(false);
    expect(constantTimeEqual(Uint8Array.of(1, 2, 0), Uint8Array.of(1, 2))).toBe(false);
    expect(constantTimeEqual('', 'a')).toBe(false);
  });

  it('treats two empty inputs as equal', () => {
    expect(constantTimeEqual(new Uint8Array(0), new Uint8Array(0))).toBe(true);
    expect(constantTimeEqual('', '')).toBe(true);
  });

  it('compares strings as UTF-8 and accepts Buffers', () => {
    expect(constantTimeEqual('é', Buffer.from([0xc3, 0xa9]))).toBe(true);
  });
});
