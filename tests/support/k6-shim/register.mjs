// `node --import ./register.mjs run.mjs script.js`: installs the hooks of hooks.mjs.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
