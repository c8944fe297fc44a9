import { writeStylesheet } from '../build/stylesheet.js';
import { STYLESHEET_PATH } from '../web/assets.js';

// `npm run build`, after tsc: the stylesheet the app serves (see src/assets/stylesheet.ts).
const bytes = await writeStylesheet();
console.log(`${STYLESHEET_PATH}: ${(bytes / 1024).toFixed(1)} KB`);
