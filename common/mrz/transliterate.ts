/**
 * Turning a printed name into MRZ characters (ICAO Doc 9303 Part 3 §6): upper case, diacritics removed,
 * the recommended Latin substitutions, and transliteration of Greek and Cyrillic. Spaces and hyphens
 * become `<`; apostrophes and other punctuation are dropped.
 */

const LATIN_SPECIAL: Readonly<Record<string, string>> = {
  Æ: 'AE', Ä: 'AE', Å: 'AA', Ö: 'OE', Ø: 'OE', Ü: 'UE', Œ: 'OE', ß: 'SS', Þ: 'TH', Ð: 'D', Đ: 'D', Ł: 'L', Ħ: 'H', Ŋ: 'N', Ŧ: 'T', Ĳ: 'IJ',
};

// Greek per ICAO 9303 Part 3 (ELOT 743), with the usual digraphs first.
const GREEK_DIGRAPHS: ReadonlyArray<readonly [string, string]> = [
  ['ΟΥ', 'OU'],
  ['ΑΥ', 'AV'],
  ['ΕΥ', 'EV'],
];
const GREEK: Readonly<Record<string, string>> = {
  Α: 'A', Β: 'V', Γ: 'G', Δ: 'D', Ε: 'E', Ζ: 'Z', Η: 'I', Θ: 'TH', Ι: 'I', Κ: 'K', Λ: 'L', Μ: 'M', Ν: 'N', Ξ: 'X',
  Ο: 'O', Π: 'P', Ρ: 'R', Σ: 'S', Τ: 'T', Υ: 'Y', Φ: 'F', Χ: 'CH', Ψ: 'PS', Ω: 'O',
};

// Cyrillic per ICAO 9303 Part 3 Table (Russian and the common Ukrainian/Belarusian letters).
const CYRILLIC: Readonly<Record<string, string>> = {
  А: 'A', Б: 'B', В: 'V', Г: 'G', Ґ: 'G', Д: 'D', Е: 'E', Ё: 'E', Є: 'IE', Ж: 'ZH', З: 'Z', И: 'I', І: 'I', Ї: 'I',
  Й: 'I', К: 'K', Л: 'L', М: 'M', Н: 'N', О: 'O', П: 'P', Р: 'R', С: 'S', Т: 'T', У: 'U', Ў: 'U', Ф: 'F', Х: 'KH',
  Ц: 'TS', Ч: 'CH', Ш: 'SH', Щ: 'SHCH', Ъ: 'IE', Ы: 'Y', Ь: '', Э: 'E', Ю: 'IU', Я: 'IA',
};

/** Converts free text (a name) into MRZ characters. The result holds only A–Z, 0–9 and `<`. */
export function toMrzText(input: string): string {
  let s = input.toUpperCase().replace(/ς/g, 'Σ');
  for (const [from, to] of Object.entries(LATIN_SPECIAL)) s = s.split(from).join(to);
  // Strip combining marks (accents, Greek tonos) after decomposition, then recompose what is left.
  s = s.normalize('NFD').replace(/\p{M}+/gu, '').normalize('NFC');
  for (const [from, to] of GREEK_DIGRAPHS) s = s.split(from).join(to);
  let out = '';
  for (const ch of s) {
    if (/[A-Z0-9]/.test(ch)) out += ch;
    else if (ch === ' ' || ch === '-' || ch === '<') out += '<';
    else if (GREEK[ch] !== undefined) out += GREEK[ch];
    else if (CYRILLIC[ch] !== undefined) out += CYRILLIC[ch];
    // anything else (apostrophes, full stops, commas, unknown scripts) is dropped
  }
  return out.replace(/^<+|<+$/g, '');
}

/** True when the text needs no transliteration to appear in an MRZ. */
export function isMrzLatin(input: string): boolean {
  return /^[A-Za-z0-9 '\-.]*$/.test(input);
}
