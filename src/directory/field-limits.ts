/**
 * The longest text each field of the directory may hold. The user and unit forms, the record check and the roster
 * import use these same numbers, so that a file cannot carry what the forms would refuse.
 */
export const MAX_LENGTH = {
  /** Room for an 18-digit NIP typed with spaces ('19860926 201505 1 001') and a little more. */
  nip: 40,
  /** The longest address SMTP allows (RFC 5321). */
  email: 254,
  fullName: 150,
  position: 200,
  /** 'Pembina Utama Madya, IV/d' and a little more. */
  pangkat: 60,
  unitCode: 40,
  /** A decree number ('800.1.3.3/1234/BKD/2026') with room to spare. */
  headDecree: 100,
} as const;
