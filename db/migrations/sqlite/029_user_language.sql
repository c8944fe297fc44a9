-- The language a person chose (issue 21): 'id' (Bahasa Indonesia) or 'en' (English), set by the language switch in the
-- header while signed in. Their pages follow it where their browser has no `lang` cookie saying otherwise, and every
-- mail to them (reminders, invitations, password links, notices) is written in it. NULL: never chosen, which reads as
-- the instance's language, Indonesian. Not a fact of any signature, pact or count: no trigger watches it.
ALTER TABLE users ADD COLUMN language TEXT CHECK (language IS NULL OR language IN ('id', 'en'));
