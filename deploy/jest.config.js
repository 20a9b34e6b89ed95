// The deployment checks: manifests render and validate, follow the policy,
// match the services' settings and probe paths; the Dockerfile, workflows
// and observability files agree with the code.
import { projectConfig } from '../jest.preset.js';

export default { ...projectConfig(import.meta.url), displayName: 'deploy' };
