/** Every test file: keep the SDK's Node-version notice out of the output. */
import '../../functions/local/quiet-warnings.js';
