import { describe, expect, test } from 'vitest';
import { documentFieldRows, fieldLabel, fieldText, mrzLinesOf } from '../../../common/session/document-field-text';

/** A document's fields JSON in words, as the app, `idv-review show` and the PDF print it. */
const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];

describe('document field text', () => {
  test('a label is the key in words', () => {
    expect(fieldLabel('country_of_birth')).toBe('Country of birth');
    expect(fieldLabel('address_line1')).toBe('Address line1');
  });

  test("an address with Yoti's formatted_address reads as its lines, nothing else of it", () => {
    const address = { address_format: 1, building_number: '1', address_line1: '1 Main Street', town_city: 'Zenith', postal_code: 'ZE1 2AB', formatted_address: ' 1 Main Street\nZenith\nZE1 2AB ' };
    expect(fieldText('structured_postal_address', address)).toBe('1 Main Street\nZenith\nZE1 2AB');
  });

  test('an address without formatted_address reads as one "Name: value" line per part, never as JSON', () => {
    const address = { address_format: 1, building_number: '1', address_line1: '1 SPECIMEN STREET', town_city: 'UTOPIA CITY', postal_code: '', country_iso: 'UTO' };
    expect(fieldText('structured_postal_address', address)).toBe(
      'Address format: 1\nBuilding number: 1\nAddress line1: 1 SPECIMEN STREET\nTown city: UTOPIA CITY\nCountry iso: UTO',
    );
  });

  test('formatted_address is an address only under an address key; elsewhere it is one nested field among others', () => {
    expect(fieldText('issuer', { name: 'UTOPIA POWER', formatted_address: '2 Grid Road' })).toBe('Name: UTOPIA POWER\nFormatted address: 2 Grid Road');
  });

  test('a list is joined, its empty items left out; addresses in a list read as addresses', () => {
    expect(fieldText('aliases', ['Ann E.', ' ', null, 'A. Eriksson'])).toBe('Ann E.; A. Eriksson');
    expect(fieldText('previous_addresses', [{ formatted_address: '1 Old Road' }, { formatted_address: '2 New Road' }])).toBe('1 Old Road; 2 New Road');
  });

  test('nested objects, numbers and booleans', () => {
    expect(fieldText('issuing_authority_details', { name: 'DVLA', office: { city: 'Swansea', code: 7 } })).toBe('Name: DVLA\nOffice: City: Swansea\nCode: 7');
    expect(fieldText('height_cm', 172)).toBe('172');
    expect(fieldText('organ_donor', false)).toBe('false');
    expect(fieldText('given_names', '  ANNA MARIA  ')).toBe('ANNA MARIA');
  });

  test('rows: every field in the order Yoti sent it, unknown keys kept, empty values left out', () => {
    const rows = documentFieldRows({
      full_name: 'ANNA MARIA ERIKSSON',
      middle_name: '',
      date_of_birth: '1974-08-12',
      future_field_yoti_adds: 'kept',
      nickname: null,
      aliases: [],
      extra: {},
      structured_postal_address: { formatted_address: '1 Main Street\nZenith' },
      height_cm: 0,
    });
    expect(rows).toEqual([
      { key: 'full_name', label: 'Full name', text: 'ANNA MARIA ERIKSSON' },
      { key: 'date_of_birth', label: 'Date of birth', text: '1974-08-12' },
      { key: 'future_field_yoti_adds', label: 'Future field yoti adds', text: 'kept' },
      { key: 'structured_postal_address', label: 'Structured postal address', text: '1 Main Street\nZenith' },
      { key: 'height_cm', label: 'Height cm', text: '0' },
    ]);
  });

  test('the MRZ is not a row when it holds lines (every surface shows those apart), and stays a row otherwise', () => {
    const withLines = { full_name: 'ANNA', mrz: { type: 'TD3', line1: ` ${TD3[0]}`, line2: TD3[1] } };
    expect(mrzLinesOf(withLines)).toEqual(TD3);
    expect(documentFieldRows(withLines).map((r) => r.key)).toEqual(['full_name']);
    const oddShape = { mrz: { raw: 'P<UTO…' } };
    expect(mrzLinesOf(oddShape)).toEqual([]);
    expect(documentFieldRows(oddShape)).toEqual([{ key: 'mrz', label: 'Mrz', text: 'Raw: P<UTO…' }]);
    expect(mrzLinesOf({ mrz: ['a', 'b'] })).toEqual([]);
    expect(mrzLinesOf({ mrz: { line1: '', line2: 7 } })).toEqual([]);
  });
});
