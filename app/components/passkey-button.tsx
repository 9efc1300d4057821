import { startAuthentication, startRegistration } from "@simplewebauthn/browser";
import { type MouseEvent, useEffect, useState } from "react";
import { useNavigation, useSubmit } from "react-router";

type Options = Parameters<typeof startRegistration>[0]["optionsJSON"] | Parameters<typeof startAuthentication>[0]["optionsJSON"];

/**
 * A button that runs a WebAuthn ceremony with the options the page's loader made, then posts the
 * browser's answer (field "response") with the rest of its form and the given intent. It appears only
 * where the browser can use passkeys, once the page is interactive: a passkey needs script by nature.
 * A field named "name" in the form must be filled first (registration).
 */
export function PasskeyButton({
  mode,
  options,
  intent,
  label,
  className = "usa-button",
}: {
  mode: "register" | "authenticate";
  options: Options;
  intent: string;
  label: string;
  className?: string;
}) {
  const submit = useSubmit();
  const navigation = useNavigation();
  const [usable, setUsable] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => setUsable(typeof window.PublicKeyCredential === "function"), []);
  if (!usable) return null;

  async function run(event: MouseEvent<HTMLButtonElement>) {
    const form = event.currentTarget.form;
    setProblem(null);
    const name = form?.elements.namedItem("name");
    if (name instanceof HTMLInputElement && name.value.trim() === "") {
      setProblem("Name the passkey first, so you can tell it apart later.");
      name.focus();
      return;
    }
    try {
      const response =
        mode === "register"
          ? await startRegistration({ optionsJSON: options as Parameters<typeof startRegistration>[0]["optionsJSON"] })
          : await startAuthentication({ optionsJSON: options as Parameters<typeof startAuthentication>[0]["optionsJSON"] });
      const data = new FormData(form ?? undefined);
      data.set("intent", intent);
      data.set("response", JSON.stringify(response));
      await submit(data, { method: "post" });
    } catch (error) {
      const e = error as Error;
      setProblem(
        e.name === "NotAllowedError"
          ? "The passkey prompt was closed or timed out. Try again when you are ready."
          : e.name === "InvalidStateError"
            ? "This passkey or security key is already registered."
            : `This browser could not use a passkey: ${e.message}`,
      );
    }
  }

  return (
    <>
      <button className={className} type="button" onClick={(e) => void run(e)} disabled={navigation.state !== "idle"}>
        {label}
      </button>
      {problem ? (
        <span className="usa-error-message display-block margin-top-1" role="alert">
          {problem}
        </span>
      ) : null}
    </>
  );
}
