/**
 * English messages for zod/mini (which ships none by default), set once for every schema that
 * answers people. Only the English locale: the locales index would bring every language along.
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());
