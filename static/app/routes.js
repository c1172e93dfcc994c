// Which screen each address shows. Addresses hold record ids only, never names.
import { showAddChild, showChild, showChildren, showEditChild, showEpisodeForm } from "./screens/cases.js";
import { showAbout, showAddAttempt, showCheck, showConsent, showEditAttempt, showInterview,
         showOffer, showQuestions, showWho } from "./screens/interview.js";
import { showAttention } from "./screens/attention.js";
import { showHandOver } from "./screens/handover.js";
import { showActiveOffer } from "./screens/advocacy.js";
import { showAddItem, showEditItem, showIntelligence } from "./screens/intelligence.js";
import { showEditReferral, showNewReferral } from "./screens/followup.js";
import { showRescue } from "./screens/rescue.js";

const ID = "([0-9a-f-]{36})";
export const routes = [
  [/^\/$/, showChildren],
  [/^\/children\/new$/, showAddChild],
  [new RegExp(`^/children/${ID}$`), showChild],
  [new RegExp(`^/children/${ID}/edit$`), showEditChild],
  [new RegExp(`^/children/${ID}/episodes/new$`), (session, childId) => showEpisodeForm(session, childId, null)],
  [new RegExp(`^/episodes/${ID}/edit$`), (session, episodeId) => showEpisodeForm(session, null, episodeId)],
  [new RegExp(`^/interviews/${ID}$`), showInterview],
  [new RegExp(`^/interviews/${ID}/offer$`), showOffer],
  [new RegExp(`^/interviews/${ID}/attempts/new$`), showAddAttempt],
  [new RegExp(`^/attempts/${ID}/edit$`), showEditAttempt],
  [new RegExp(`^/interviews/${ID}/consent$`), showConsent],
  [new RegExp(`^/interviews/${ID}/about$`), showAbout],
  [new RegExp(`^/interviews/${ID}/who$`), showWho],
  [new RegExp(`^/interviews/${ID}/questions/([a-z][a-z0-9_]*)$`), showQuestions],
  [new RegExp(`^/interviews/${ID}/check$`), showCheck],
  [new RegExp(`^/interviews/${ID}/hand-over$`), showHandOver],
  [new RegExp(`^/interviews/${ID}/active-offer$`), showActiveOffer],
  [new RegExp(`^/interviews/${ID}/intelligence$`), showIntelligence],
  [new RegExp(`^/interviews/${ID}/intelligence/new/([a-z_]+)$`), showAddItem],
  [new RegExp(`^/intelligence/${ID}/edit$`), showEditItem],
  [new RegExp(`^/interviews/${ID}/referrals/new/([a-z_]+)$`), showNewReferral],
  [new RegExp(`^/referrals/${ID}/edit$`), showEditReferral],
  [/^\/attention$/, showAttention],
  [/^\/rescue$/, showRescue],
];
