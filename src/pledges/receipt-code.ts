import { symbolCode } from '../core/symbol-code.js';

/** Receipt codes: 16 symbols, 80 random bits, stored without dashes. */
const receiptCode = symbolCode(16);

/** A new receipt code: 16 symbols from 80 random bits, stored without dashes. */
export const newReceiptCode = receiptCode.random;

/** 'ABCDEFGHJKLMNPQR' → 'ABCD-EFGH-JKLM-NPQR' */
export const formatReceiptCode = receiptCode.format;

/**
 * What a person typed or scanned, as a stored code: case, spaces and dashes do not matter. Null when it cannot be
 * a receipt code at all (so a lookup is not even tried).
 */
export const parseReceiptCode = receiptCode.parse;
