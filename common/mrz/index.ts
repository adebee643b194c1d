export { mrzCheckDigit, mrzCheckChar, mrzCharValue, MRZ_CHARSET } from './check-digit';
export { buildTd1, buildTd2, buildTd3, mrzNameField, toMrzDate, type MrzFields } from './build';
export { verifyMrz, mrzDateToIso, type MrzCheck, type MrzCheckName, type MrzFormat, type MrzResult, type MrzVerification } from './verify';
export { toMrzText, isMrzLatin } from './transliterate';
