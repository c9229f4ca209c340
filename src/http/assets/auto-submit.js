// Sends a form that only carries the browser on (an app's sign-out when no one is signed in to
// Kelid any more): its button says the same for a browser without JavaScript.
for (const form of document.querySelectorAll('form[data-auto-submit]')) form.requestSubmit();
