import { evaluateIf, IfHeaderError, parseIfHeader, submittedStateTokens, type IfState } from '../src/domain/if-header.js';

describe('the If header (RFC 4918 §10.4)', () => {
  it('parses untagged and tagged lists, Not, state tokens and entity tags', () => {
    expect(parseIfHeader('(<urn:uuid:a> ["e1"]) (Not <DAV:no-lock>)')).toEqual([
      { resource: undefined, conditions: [{ negated: false, kind: 'state-token', value: 'urn:uuid:a' }, { negated: false, kind: 'etag', value: '"e1"' }] },
      { resource: undefined, conditions: [{ negated: true, kind: 'state-token', value: 'DAV:no-lock' }] },
    ]);
    expect(parseIfHeader('<http://h/dav/a> (<urn:uuid:b>)')[0]!.resource).toBe('http://h/dav/a');
  });

  it.each(['', '(', '()', '(<a>', '(Not)', 'junk', '(["e")'])('refuses %j', (text) => {
    expect(() => parseIfHeader(text)).toThrow(IfHeaderError);
  });

  it('holds when any list holds, a list when all its conditions do', async () => {
    const state: IfState = { holdsLock: async (_r, token) => token === 'urn:uuid:held', hasEtag: async (_r, etag) => etag === '"now"' };
    expect(await evaluateIf(parseIfHeader('(<urn:uuid:held> ["now"])'), state)).toBe(true);
    expect(await evaluateIf(parseIfHeader('(<urn:uuid:held> ["old"])'), state)).toBe(false);
    expect(await evaluateIf(parseIfHeader('(<urn:uuid:other>) (Not <DAV:no-lock>)'), state)).toBe(true);
    expect(submittedStateTokens(parseIfHeader('(<urn:uuid:held>) (Not <urn:uuid:x>)'))).toEqual(['urn:uuid:held']);
  });
});
