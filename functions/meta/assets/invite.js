// The invitation landing page (/invite#code=…) that emails and SMS link to. It looks the code up through the API
// on this origin, says what the invitation is for and until when, and, while it can still be answered, accepts or
// declines it with the invitee's access token. An answered, cancelled or expired invitation is said to be so,
// without the buttons. Plain browser JavaScript, no build step; the helpers are exported for the tests.

/** The code (and a token, when the app that signed the person in passes one) from the link's fragment or query. */
export function readLink(location) {
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ""));
  const query = new URLSearchParams(location.search);
  return { code: fragment.get("code") || query.get("code") || "", token: fragment.get("token") || "" };
}

/** `Wednesday, 16 December 2026 at 14:30 GMT (in 14 days)`: a person's reading of an ISO timestamp. */
export function humanDate(iso, now = new Date(), timeZone = undefined) {
  const when = iso ? new Date(iso) : null;
  if (!when || Number.isNaN(when.getTime())) return "at a time the API did not say";
  const day = new Intl.DateTimeFormat("en-GB", {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
    timeZone,
  }).format(when);
  const hours = (when.getTime() - now.getTime()) / 3_600_000;
  const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  const distance =
    Math.abs(hours) < 48 ? relative.format(Math.round(hours), "hour") : relative.format(Math.round(hours / 24), "day");
  return `${day} (${distance})`;
}

const ENDED = {
  accepted: "This invitation has already been accepted.",
  declined: "This invitation was declined.",
  cancelled: "This invitation was cancelled by whoever sent it.",
  expired: "This invitation has expired.",
};

/** What the page says about a lookup's answer: a title, sentences, and whether to offer Accept and Decline. */
export function describeInvitation(status, body, now = new Date(), timeZone = undefined) {
  if (status === 404) {
    return {
      title: "Invitation not found",
      lines: [
        "This link is not a whole invitation link, or the invitation was sent again with a new link. " +
          "Open the newest message you received, or ask whoever invited you to send it again.",
      ],
      tone: "warn",
      answerable: false,
    };
  }
  if (status !== 200 || !body || typeof body !== "object") {
    const error = body?.error;
    return {
      title: "The invitation could not be looked up",
      lines: [error?.message ? `${error.message} (${error.code})` : `The API answered ${status || "nothing"}.`],
      tone: "warn",
      answerable: false,
    };
  }
  const organisation = body.organisation?.name ?? "an organisation";
  const inviter = body.inviter?.name ?? "Someone";
  const title = body.opportunity ? body.opportunity.name : `Join ${organisation}`;
  const invites = body.opportunity
    ? `${inviter} invites you to work on it with ${organisation}.`
    : `${inviter} invites you to join ${organisation}${body.role ? ` as ${body.role.name}` : ""}.`;
  if (body.answerable) {
    return {
      title,
      lines: [invites, `The invitation expires ${humanDate(body.expires_at, now, timeZone)}.`],
      tone: "",
      answerable: true,
    };
  }
  const ended = ENDED[body.status] ?? `This invitation can no longer be answered (${body.status}).`;
  const again = "Ask whoever invited you to send a new one if you still want to join.";
  return {
    title,
    lines: [invites, body.status === "accepted" ? ended : `${ended} ${again}`],
    tone: body.status === "accepted" ? "ok" : "warn",
    answerable: false,
  };
}

async function callApi(path, code, token) {
  try {
    const response = await fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ code }),
    });
    return { status: response.status, body: await response.json().catch(() => null) };
  } catch {
    return { status: 0, body: null };
  }
}

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

function render(main, view) {
  main.replaceChildren(element("h1", {}, view.title));
  // The last line is the invitation's state, shown as a notice when there is something to notice.
  for (const [index, line] of view.lines.entries()) {
    const last = index === view.lines.length - 1;
    main.append(element("p", last && view.tone ? { class: `state ${view.tone}` } : {}, line));
  }
}

function answerForm(main, code, token) {
  const input = element("input", { id: "token", type: "password", autocomplete: "off", spellcheck: "false" });
  input.value = token;
  const accept = element("button", { class: "primary", type: "submit", value: "accept" }, "Accept");
  const decline = element("button", { type: "submit", value: "decline" }, "Decline");
  const outcome = element("p", { role: "status" });
  const tokenField = element(
    "div",
    {},
    element("label", { for: "token" }, "Your access token"),
    input,
    element(
      "p",
      { class: "muted" },
      "It says you are the person invited; the app you sign in with passes it along (locally: ",
      element("code", {}, "npm run -s token -- you@example.com"),
      ").",
    ),
  );
  // A token from the link needs no field; the field comes back if it is refused.
  tokenField.hidden = Boolean(token);
  const form = element("form", {}, tokenField, element("div", { class: "actions" }, accept, decline));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const action = event.submitter?.value === "decline" ? "decline" : "accept";
    if (!input.value.trim()) {
      tokenField.hidden = false;
      outcome.className = "state warn";
      outcome.textContent = "Paste your access token first.";
      return;
    }
    accept.disabled = decline.disabled = true;
    const reply = await callApi(`/v1/invitations:${action}`, code, input.value.trim());
    if (reply.status === 200) {
      form.remove();
      outcome.className = "state ok";
      outcome.textContent =
        action === "accept"
          ? "Accepted. Welcome aboard: you can sign in to the organisation now."
          : "Declined. Nothing more will come of this invitation.";
      return;
    }
    accept.disabled = decline.disabled = false;
    tokenField.hidden = false;
    outcome.className = "state warn";
    const error = reply.body?.error;
    outcome.textContent = error?.message
      ? `${error.message} (${error.code})`
      : `The API answered ${reply.status || "nothing"}; try again shortly.`;
  });
  main.append(form, outcome);
}

/** Which opening of a link is the latest: an answer that arrives after the link changed again is dropped. */
let opened = 0;

async function start() {
  const turn = ++opened;
  const main = document.getElementById("invitation");
  const { code, token } = readLink(window.location);
  // The token has done its job once read: keep it out of the address bar, the history and any copied link.
  if (token) window.history.replaceState(null, "", `${window.location.pathname}#code=${encodeURIComponent(code)}`);
  if (!code) {
    render(main, {
      title: "No invitation in this link",
      lines: ["Open the link from your invitation email or text message; it carries the invitation's code."],
      tone: "warn",
    });
    return;
  }
  // Nothing of a link opened before stays on screen (its buttons would answer that invitation) while this one loads.
  render(main, { title: "Your invitation", lines: ["Looking it up…"] });
  const reply = await callApi("/v1/invitations:lookup", code);
  if (turn !== opened) return;
  const view = describeInvitation(reply.status, reply.body);
  render(main, view);
  if (view.answerable) answerForm(main, code, token);
}

if (typeof document !== "undefined") {
  start();
  // A link pasted over this one (only the part after # changes) loads no page: open it all the same.
  window.addEventListener("hashchange", start);
}
