// The small pages the browser shows at get-key's OIDC callback. Text only, escaped: whatever a
// provider or Vault said is shown as text, never as markup.
const escape = (s: string) =>
  s.replace(/[\p{Cc}]/gu, ' ').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface Page {
  status: number;
  html: string;
}

function page(status: number, title: string, detail: string): Page {
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>get-key: ${escape(title)}</title></head>` +
    `<body style="font-family:sans-serif;max-width:40em;margin:4em auto"><h1>${escape(title)}</h1><p>${escape(detail)}</p></body></html>\n`;
  return { status, html };
}

export const pages = {
  success: () => page(200, 'Signed in to Vault', 'get-key has your Vault login. You can close this tab.'),
  failed: (detail: string) => page(400, 'Vault login failed', `${detail} Run get-key login again.`),
  wrongState: () =>
    page(
      400,
      'Not the login get-key is waiting for',
      'This sign-in answer does not belong to the login get-key started (an old tab, or a link from elsewhere). It was refused. Finish the login in the tab get-key opened.',
    ),
  notFound: () => page(404, 'Not found', 'This address only receives the answer of a Vault login.'),
  wrongMethod: () =>
    page(405, 'Not supported', 'get-key receives the login answer as a GET redirect (the response mode form_post is not supported).'),
  used: () => page(409, 'Already used', 'This login answer was already received. You can close this tab.'),
};
