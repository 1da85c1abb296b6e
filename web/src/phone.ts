/**
 * Phone numbers as people type them ("(212) 555-0100", "+44 20 7946 0958") checked with
 * libphonenumber-js and turned into the E.164 form the API stores. The library and its metadata are a
 * third of the console's code, so they load on first use, in their own file, not with the first page.
 */
import { useEffect, useState } from 'preact/hooks';

export type PhoneCheck = { ok: true; e164: string; international: string } | { ok: false; message: string };
export type PhoneChecker = (text: string, country?: string, options?: { countryField?: boolean }) => PhoneCheck;

let loading: Promise<PhoneChecker> | undefined;

export function loadPhoneChecker(): Promise<PhoneChecker> {
  loading ??= import('./phone-check.js').then((m) => m.checkPhone);
  return loading;
}

/** The checker once loaded (undefined until then); asks for it when the form appears. */
export function usePhoneChecker(): PhoneChecker | undefined {
  const [checker, setChecker] = useState<{ check: PhoneChecker }>();
  useEffect(() => {
    let live = true;
    loadPhoneChecker().then((check) => live && setChecker({ check }), () => undefined);
    return () => {
      live = false;
    };
  }, []);
  return checker?.check;
}
