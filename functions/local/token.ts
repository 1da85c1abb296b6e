/** npm run token -- <repId>: prints a JWT the local runtime accepts for that rep. */
import { resolve } from 'node:path';
import { isLocalRepId, LocalTokens } from './jwt.js';

const repId = process.argv[2];
if (!isLocalRepId(repId)) {
  console.error('followthrough: give a rep id: npm run token -- <repId> (letters, digits, . _ @ -)');
  process.exit(1);
}
const tokens = await LocalTokens.open(resolve(process.env.DATA_DIR?.trim() || '.data', 'jwt-key.json'));
console.log(await tokens.sign(repId));
