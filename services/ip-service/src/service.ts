import { defineService } from '@sigil/service-kit';
import { buildApp } from './app.js';
import { settings } from './config.js';

export const ipServiceService = defineService({ name: 'ip-service', settings, build: buildApp });
