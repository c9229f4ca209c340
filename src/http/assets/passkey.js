// Passkeys, a progressive enhancement: buttons marked data-passkey="register|authenticate"
// stay hidden without JavaScript or WebAuthn. A click asks the server for options, lets the
// browser talk to the authenticator (SimpleWebAuthnBrowser, served from our origin), sends
// the answer back with the page's CSRF token, and goes on to data-next.
document.addEventListener('DOMContentLoaded', () => {
  const lib = window.SimpleWebAuthnBrowser;
  if (!window.PublicKeyCredential || !lib) return;
  for (const button of document.querySelectorAll('[data-passkey]')) {
    const status = document.getElementById(button.dataset.status);
    button.hidden = false;
    button.addEventListener('click', async () => {
      const post = async (url, body) => {
        const response = await fetch(url, {
          method: 'POST', credentials: 'same-origin', body: JSON.stringify(body ?? {}),
          headers: { 'content-type': 'application/json', 'x-csrf-token': button.dataset.csrf },
        });
        return { ok: response.ok, json: await response.json() };
      };
      button.disabled = true;
      try {
        const options = await post(button.dataset.options);
        if (!options.ok) throw new Error(options.json?.error?.message ?? '');
        const answer = button.dataset.passkey === 'register'
          ? await lib.startRegistration({ optionsJSON: options.json })
          : await lib.startAuthentication({ optionsJSON: options.json });
        const result = await post(button.dataset.verify, answer);
        if (!result.ok) throw new Error(result.json?.error?.message ?? '');
        window.location.assign(button.dataset.next);
      } catch (error) {
        if (status) status.textContent = (error && error.message) || button.dataset.failed;
        button.disabled = false;
      }
    });
  }
});
