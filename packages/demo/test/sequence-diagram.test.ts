import { sequenceDiagram, type Exchange, type TraceEvent } from '../src/index.js';

const exchange = (fields: Exchange): Exchange => fields;

describe('sequenceDiagram', () => {
  it('declares each participant once, in order of appearance, and draws requests, answers and step notes', () => {
    const toProxy = exchange({ from: 'WebDAV client', to: 'proxy', method: 'PROPFIND', path: '/dav/', status: 207 });
    const userinfo = exchange({ from: 'proxy', to: 'auth-server', method: 'GET', path: '/userinfo', status: 200 });
    const events: TraceEvent[] = [
      { kind: 'step', number: 3, from: 'WebDAV client', to: 'proxy', action: 'PROPFIND; what is in #my home?' },
      { kind: 'request', exchange: toProxy },
      { kind: 'request', exchange: userinfo },
      { kind: 'response', exchange: userinfo },
      { kind: 'response', exchange: toProxy },
    ];
    expect(sequenceDiagram(events)).toBe(
      [
        'sequenceDiagram',
        '    participant WebDAV_client as WebDAV client',
        '    participant proxy',
        '    participant auth_server as auth-server',
        // `;` would end the statement and `#` start an entity: both are written as entities.
        '    Note over WebDAV_client,proxy: 3. PROPFIND#59; what is in #35;my home?',
        '    WebDAV_client->>proxy: PROPFIND /dav/',
        '    proxy->>auth_server: GET /userinfo',
        '    auth_server-->>proxy: 200',
        '    proxy-->>WebDAV_client: 207',
      ].join('\n'),
    );
  });

  it('shows where a redirect leads, shortens random path segments, and crosses out a request nobody answered', () => {
    const redirect = exchange({ from: 'browser', to: 'auth-server', method: 'GET', path: '/interaction/Uq3sQbqgJXhR0a3Lw2mWy5fK7a9', status: 303, location: 'IMS /auth' });
    const refused = exchange({ from: 'web client', to: 'idopte-bridge', method: 'POST', path: '/anonymous/idopte_certificate', failure: 'ECONNREFUSED' });
    const diagram = sequenceDiagram([
      { kind: 'request', exchange: redirect },
      { kind: 'response', exchange: redirect },
      { kind: 'request', exchange: refused },
      { kind: 'response', exchange: refused },
    ]);
    expect(diagram).toContain('browser->>auth_server: GET /interaction/Uq3sQbqg…');
    expect(diagram).toContain('auth_server-->>browser: 303 → IMS /auth');
    expect(diagram).toContain('idopte_bridge--xweb_client: no answer (ECONNREFUSED)');
  });
});
