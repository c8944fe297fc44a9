/** The typed name matches the account name when they are equal ignoring case and spacing (and Unicode form). */
export function namesMatch(typed: string, accountName: string): boolean {
  const normal = (name: string) => name.normalize('NFC').toLocaleLowerCase('id-ID').replace(/\s+/g, '');
  return normal(typed).length > 0 && normal(typed) === normal(accountName);
}
