/** zod/mini with English messages: what every schema that answers people imports. */
import * as z from 'zod/mini';
import { en } from 'zod/locales';

z.config(en());

export { z };
