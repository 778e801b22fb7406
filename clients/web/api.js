// Calls to jobmatchd's JSON-over-HTTP port (docs/api.md): the same RPCs,
// authentication and errors as gRPC. The API key, if any, lives in
// sessionStorage for this tab only.
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function headers(extra = {}) {
  const h = { ...extra };
  const key = sessionStorage.getItem('jobmatch-api-key');
  if (key) h['X-Api-Key'] = key;
  return h;
}

async function reply(response) {
  const text = await response.text();
  let body = {};
  try { body = text ? JSON.parse(text) : {}; } catch { body = { message: text }; }
  if (!response.ok) throw new ApiError(response.status, body.code || 'unknown', body.message || text);
  return body;
}

// GET /v1/... with query parameters (arrays repeat the parameter).
export async function get(path, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    for (const item of Array.isArray(v) ? v : [v]) q.append(k, item);
  }
  const url = q.toString() ? `${path}?${q}` : path;
  return reply(await fetch(url, { headers: headers() }));
}

// POST /jobmatch.v1.Service/Method with a JSON body.
export async function call(method, body = {}) {
  return reply(await fetch(`/jobmatch.v1.${method}`, {
    method: 'POST',
    headers: headers({ 'Content-Type': 'application/json' }),
    body: JSON.stringify(body),
  }));
}
