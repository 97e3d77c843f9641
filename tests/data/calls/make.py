#!/usr/bin/env python3
"""Writes the synthetic call-list CSV files used by test_calllist/test_csvimp.
All names, numbers and personnummer are invented (test series, 555 numbers).
Run from this folder: python3 make.py"""

def luhn(d9):
    s = 0
    for i, c in enumerate(d9):
        v = int(c) * (2 if i % 2 == 0 else 1)
        s += v - 9 if v > 9 else v
    return str((10 - s % 10) % 10)

def pnr(ymd, nnn):          # ymd 'YYYYMMDD', nnn 3 digits -> YYYYMMDD-NNNC
    return ymd + '-' + nnn + luhn(ymd[2:] + nnn)

SV = ['Namn', 'Telefon', 'Personnummer', 'Utskrivningsdatum', 'Spår',
      'Vårdtyp', 'Samtycke']
EN = ['Name', 'Phone', 'Personal number', 'Discharge date', 'Track',
      'Care type', 'Consent']

ROWS = [  # name, phone, pnr, discharge, track, care, consent
    ['Örjan Testsson', '070-555 01 01', pnr('19400312', '123'), '2026-11-20', 'röd', 'somatisk', 'ja'],
    ['Åsa "Lillan" Provström', '070-555 01 02', pnr('19521201', '234'), '2026-11-19', 'gul', 'psykiatrisk', 'ja'],
    ['Bengt Exempelsson', '+46 70 555 01 03', '', '2026-11-21', 'grön', 'somatisk', 'ja'],
    ['Märta Nej', '070-555 01 04', pnr('19330704', '345'), '2026-11-20', 'gul', 'somatisk', 'nej'],
]

def q(field, sep):
    if any(c in field for c in (sep, '"', '\n', '\r')):
        return '"' + field.replace('"', '""') + '"'
    return field

def write(name, header, rows, sep, nl, enc, bom=False):
    text = nl.join(sep.join(q(f, sep) for f in r) for r in [header] + rows) + nl
    data = text.encode(enc)
    if bom:
        data = b'\xef\xbb\xbf' + data
    open(name, 'wb').write(data)

# good files: every encoding and separator
write('good_utf8_semicolon_crlf.csv', SV, ROWS, ';', '\r\n', 'utf-8')
write('good_utf8bom_comma_lf.csv', EN, ROWS, ',', '\n', 'utf-8', bom=True)
write('good_cp1252_semicolon_crlf.csv', SV, ROWS, ';', '\r\n', 'cp1252')
write('good_cp1252_comma_lf.csv', EN, ROWS, ',', '\n', 'cp1252')
write('good_utf8_comma_crlf.csv', EN, ROWS, ',', '\r\n', 'utf-8')
write('good_utf8bom_semicolon_lf.csv', SV, ROWS, ';', '\n', 'utf-8', bom=True)
# a quoted field with an embedded newline (note typed in Excel: Alt+Enter)
multi = [r[:] for r in ROWS[:2]]
multi[0][0] = 'Örjan\nTestsson'
write('good_embedded_newline.csv', SV, multi, ';', '\r\n', 'utf-8')

# one file per breakage (the first row is always good)
write('bad_wrong_columns.csv', ['Namn', 'Mobil?', 'Datum', 'Färg'],
      [['Örjan Testsson', '0705550101', '2026-11-20', 'röd']], ';', '\n', 'utf-8')
bad = [r[:] for r in ROWS[:1]] + [r[:] for r in ROWS[1:3]]
bad[1][2] = bad[1][2][:-1] + str((int(bad[1][2][-1]) + 1) % 10)
write('bad_check_digit.csv', SV, bad, ';', '\n', 'utf-8')
bad = [r[:] for r in ROWS[:2]]; bad[1][3] = '2027-01-15'
write('bad_future_date.csv', SV, bad, ';', '\n', 'utf-8')
bad = [r[:] for r in ROWS[:2]]; bad[1][4] = 'blå'
write('bad_unknown_track.csv', SV, bad, ';', '\n', 'utf-8')
# broken quoting: a stray quote in line 3, an unclosed quote from line 4
good = ';'.join(ROWS[0])
open('bad_quoting.csv', 'w', encoding='utf-8').write(
    ';'.join(SV) + '\n' + good + '\n' +
    'Kalle "Kula Testsson;0705550199;;2026-11-20;gul;somatisk;ja\n' +
    '"Olle Oavslutad;0705550198;;2026-11-20;gul;somatisk;ja\n' +
    'Pia Efter;0705550197;;2026-11-20;gul;somatisk;ja\n')
bad = [r[:] for r in ROWS[:1]] + [['Kort Rad', '0705550196', '2026-11-20']]
open('bad_field_count.csv', 'w', encoding='utf-8').write(
    ';'.join(SV) + '\n' + ';'.join(ROWS[0]) + '\n' +
    'Kort Rad;0705550196;2026-11-20\n')
# not CSV at all
open('not_csv.html', 'w').write('<!DOCTYPE html>\n<html><body><table><tr>'
                                '<td>Namn</td></tr></table></body></html>\n')
open('not_csv.xlsx', 'wb').write(b'PK\x03\x04\x14\x00\x06\x00' + bytes(range(256)) * 4)
open('not_csv.png', 'wb').write(b'\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR' + bytes(64))
open('not_csv_utf16.csv', 'wb').write((';'.join(SV) + '\r\n').encode('utf-16'))
open('not_csv_prose.txt', 'w').write('Hej!\nHär kommer listan på måndag.\nMvh\n')
