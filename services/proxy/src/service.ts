import { defineService } from '@sigil/service-kit';
import { buildApp } from './app.js';
import { settings } from './config.js';

export const proxyService = defineService({ name: 'proxy', settings, build: buildApp });
