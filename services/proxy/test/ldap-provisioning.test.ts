import { describeWithRedis, describeWithSlapd, startSlapd, type SlapdDirectory } from '@sigil/testkit';
import { startProxyChain, type ProxyFixture } from './support/proxy-fixture.js';
import { bearer, propfind } from './support/propfind.js';

const describeRedis = await describeWithRedis();
const describeSlapd = describeWithSlapd();

const BASE = 'dc=example,dc=com';
const SERVICE_PASSWORD = 'reader-secret';

/** Users, a service account, and groups of the three supported schemas. */
const DIRECTORY = `
dn: ou=people,${BASE}
objectClass: organizationalUnit
ou: people

dn: ou=groups,${BASE}
objectClass: organizationalUnit
ou: groups

dn: cn=proxy-reader,${BASE}
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: proxy-reader
userPassword: ${SERVICE_PASSWORD}

${['alice', 'bob', 'carol', 'erin', 'mallory*']
  .map((uid) => `dn: uid=${uid.replace('*', '\\2a')},ou=people,${BASE}\nobjectClass: inetOrgPerson\nuid: ${uid}\ncn: ${uid}\nsn: ${uid}\n`)
  .join('\n')}
dn: cn=webdav-users,ou=groups,${BASE}
objectClass: groupOfNames
cn: webdav-users
member: uid=alice,ou=people,${BASE}

dn: cn=unix-staff,ou=groups,${BASE}
objectClass: posixGroup
cn: unix-staff
gidNumber: 5000
memberUid: carol

dn: cn=auditors,ou=groups,${BASE}
objectClass: groupOfUniqueNames
cn: auditors
uniqueMember: uid=erin,ou=people,${BASE}

dn: cn=others,ou=groups,${BASE}
objectClass: groupOfNames
cn: others
member: uid=bob,ou=people,${BASE}
`;

function ldapEnv(directory: SlapdDirectory, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    PROXY_PROVISIONING: 'ldap-groups',
    PROXY_LDAP_URL: directory.url,
    PROXY_LDAP_BIND_DN: `cn=proxy-reader,${BASE}`,
    PROXY_LDAP_BIND_PASSWORD: SERVICE_PASSWORD,
    PROXY_LDAP_USER_BASE_DN: `ou=people,${BASE}`,
    PROXY_LDAP_GROUP_BASE_DN: `ou=groups,${BASE}`,
    PROXY_LDAP_ALLOWED_GROUPS: [`cn=webdav-users,ou=groups,${BASE}`, `CN=Unix-Staff, OU=groups, ${BASE}`, `cn=auditors,ou=groups,${BASE}`].join(';'),
    PROXY_LDAP_TIMEOUT_MS: '2000',
    ...overrides,
  };
}

describeRedis('provisioning under the LDAP group policy', () => {
  describeSlapd('against a real OpenLDAP server', () => {
    let directory: SlapdDirectory;
    let chain: ProxyFixture;

    beforeAll(async () => {
      directory = await startSlapd({ baseDn: BASE, ldif: DIRECTORY, tls: true });
      chain = await startProxyChain({ env: ldapEnv(directory) });
      for (const uid of ['alice', 'bob', 'carol', 'erin', 'dave', 'mallory*']) chain.idp.addUser({ sub: `u-${uid}`, preferred_username: uid, name: uid });
    });
    afterAll(async () => {
      await chain.close();
      await directory.stop();
    });

    const first = async (uid: string, replica = 0) => propfind(chain.proxyUrl(replica), bearer(await chain.tokenFor(`u-${uid}`)));

    it('provisions members of an allowed group of each schema (member, memberUid, uniqueMember), with their groups', async () => {
      for (const uid of ['alice', 'carol', 'erin']) expect((await first(uid)).status).toBe(207);
      const me = await fetch(`${chain.proxyUrl(1)}/api/v1/me`, { headers: bearer(await chain.tokenFor('u-alice')) });
      expect(await me.json()).toMatchObject({ username: 'alice', groups: ['webdav-users'] });
    });

    it('refuses a member of no allowed group, a user not in the directory, and a login with filter characters, with 403', async () => {
      for (const uid of ['bob', 'dave', 'mallory*']) {
        const answer = await first(uid, 1);
        expect(answer.status).toBe(403);
        expect(answer.problem).toMatchObject({ type: 'urn:sigil:problem:account-not-allowed' });
      }
    });

    it('works over StartTLS and over LDAPS, trusting the configured CA', async () => {
      for (const overrides of [{ PROXY_LDAP_START_TLS: 'true', PROXY_LDAP_CA_FILE: directory.caFile! }, { PROXY_LDAP_URL: directory.ldapsUrl!, PROXY_LDAP_CA_FILE: directory.caFile! }] as Record<string, string>[]) {
        const secure = await startProxyChain({ env: ldapEnv(directory, overrides), replicas: 1 });
        try {
          secure.idp.addUser({ sub: 'u-alice', preferred_username: 'alice' });
          expect((await propfind(secure.proxyUrl(), bearer(await secure.tokenFor('u-alice')))).status).toBe(207);
        } finally {
          await secure.close();
        }
      }
    });

    it('answers 503 when the directory cannot be reached, and provisions nothing', async () => {
      const broken = await startProxyChain({ env: ldapEnv(directory, { PROXY_LDAP_URL: 'ldap://127.0.0.1:9' }), replicas: 1 });
      try {
        broken.idp.addUser({ sub: 'u-alice', preferred_username: 'alice' });
        const answer = await propfind(broken.proxyUrl(), bearer(await broken.tokenFor('u-alice')));
        expect(answer.status).toBe(503);
        expect(answer.problem).toMatchObject({ type: 'urn:sigil:problem:ldap-unavailable' });
        expect(await broken.store.members('accounts')).toEqual([]);
      } finally {
        await broken.close();
      }
    });
  });
});
