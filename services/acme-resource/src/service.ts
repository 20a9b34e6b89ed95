import { defineService } from '@sigil/service-kit';
import { buildApp } from './app.js';
import { settings } from './config.js';

export const acmeResourceService = defineService({ name: 'acme-resource', settings, build: buildApp });
