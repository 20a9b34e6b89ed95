import { commonSettings, setting, settingTypes, type Settings } from '@sigil/service-kit';
import { z } from 'zod';

/** Where a development default points inside the repository; resolved by `repo-path.ts`. */
export const REPO_PLACEHOLDER = '<repo>';

/** Every setting of dav-storage: env var, CLI flag (derived), default and meaning. */
export const settings = {
  ...commonSettings(4005),
  dataDir: setting(
    'DAV_STORAGE_DATA_DIR',
    "Directory holding every user's home folder (`<dir>/homes/<account uuid>`). Required in production.",
    settingTypes.text,
    { developmentDefault: `${REPO_PLACEHOLDER}/.sigil/dav-storage` },
  ),
  mountPath: setting(
    'DAV_STORAGE_MOUNT_PATH',
    "URL path at which the caller's home folder is served (the proxy routes this prefix here).",
    z.string().regex(/^\/[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/, 'must be an absolute path like /dav, without a trailing slash'),
    { default: '/dav' },
  ),
  proxyJwksUrl: setting(
    'DAV_STORAGE_PROXY_JWKS_URL',
    "The proxy's JWKS, whose keys verify internal tokens (`x-access-token`). Required in production.",
    settingTypes.url,
    { developmentDefault: 'http://localhost:4003/.well-known/jwks.json' },
  ),
  tokenIssuer: setting(
    'DAV_STORAGE_TOKEN_ISSUER',
    'The `iss` internal tokens must carry: the proxy\'s public URL. Required in production.',
    settingTypes.url,
    { developmentDefault: 'http://localhost:4003' },
  ),
  tokenAudience: setting(
    'DAV_STORAGE_TOKEN_AUDIENCE',
    'The `aud` internal tokens must carry: this storage\'s name in the proxy\'s route table.',
    settingTypes.text,
    { default: 'dav-storage' },
  ),
  maxRequestBodyBytes: setting(
    'DAV_STORAGE_MAX_XML_BODY_BYTES',
    'Largest request body accepted by methods other than PUT (PROPFIND, PROPPATCH, LOCK bodies are read whole).',
    settingTypes.positiveInt,
    { default: String(1024 * 1024) },
  ),
};

export type DavStorageConfig = Settings<typeof settings>;
