package http

import "net/http"

// adminRoute is one admin API endpoint: a ServeMux pattern and the method
// that serves it.
type adminRoute struct {
	// pattern is a Go 1.22 ServeMux pattern, "METHOD /path/{wildcard}".
	pattern string
	handle  func(*Server, http.ResponseWriter, *http.Request)
}

// adminRoutes lists every admin endpoint. It is the one list both
// registerAdmin and the OpenAPI test read, so the document in
// docs/openapi.yaml cannot silently fall behind the code.
var adminRoutes = []adminRoute{
	{"GET /api/v1/profiles", (*Server).listProfiles},
	{"GET /api/v1/profiles/lookup", (*Server).lookupProfile},
	{"GET /api/v1/profiles/{id}", (*Server).getProfile},
	{"DELETE /api/v1/profiles/{id}", (*Server).deleteProfile},
	{"GET /api/v1/profiles/{id}/events", (*Server).listProfileEvents},
	{"GET /api/v1/profiles/{id}/orders", (*Server).listProfileOrders},
	{"GET /api/v1/profiles/{id}/merges", (*Server).listProfileMerges},
	{"GET /api/v1/profiles/{id}/export", (*Server).exportProfile},
	{"GET /api/v1/profiles/{id}/score", (*Server).getScore},
	{"GET /api/v1/profiles/{id}/consent", (*Server).getConsent},
	{"GET /api/v1/leads", (*Server).listLeads},
	{"GET /api/v1/scoring/model", (*Server).getScoringModel},
	{"PUT /api/v1/scoring/model", (*Server).putScoringModel},
	{"GET /api/v1/scoring/models", (*Server).listScoringModels},
	{"GET /api/v1/scoring/rescore", (*Server).getRescore},
	{"POST /api/v1/scoring/rescore", (*Server).startRescore},
	{"GET /api/v1/segments", (*Server).listSegments},
	{"POST /api/v1/segments", (*Server).createSegment},
	{"POST /api/v1/segments/preview", (*Server).previewSegment},
	{"GET /api/v1/segments/recompute", (*Server).getRecompute},
	{"POST /api/v1/segments/recompute", (*Server).startRecompute},
	{"GET /api/v1/segments/{id}", (*Server).getSegment},
	{"PUT /api/v1/segments/{id}", (*Server).updateSegment},
	{"DELETE /api/v1/segments/{id}", (*Server).deleteSegment},
	{"GET /api/v1/segments/{id}/members", (*Server).listMembers},
	{"GET /api/v1/segments/{id}/history", (*Server).listSegmentHistory},
	{"GET /api/v1/reports/segments", (*Server).segmentsReport},
	{"GET /api/v1/reports/economics", (*Server).economicsReport},
	{"GET /api/v1/reports/personas", (*Server).personasReport},
	{"GET /api/v1/reports/rfm", (*Server).rfmReport},
	{"GET /api/v1/reports/serve-first", (*Server).serveFirstReport},
	{"GET /api/v1/keys", (*Server).listKeys},
	{"POST /api/v1/keys", (*Server).createKey},
	{"DELETE /api/v1/keys/{id}", (*Server).deleteKey},
	{"GET /api/v1/webhooks", (*Server).listWebhooks},
	{"POST /api/v1/webhooks", (*Server).createWebhook},
	{"DELETE /api/v1/webhooks/{id}", (*Server).deleteWebhook},
	{"GET /api/v1/webhooks/{id}/deliveries", (*Server).listDeliveries},
	{"GET /api/v1/vendors", (*Server).listVendors},
	{"POST /api/v1/vendors", (*Server).createVendor},
	{"GET /api/v1/vendors/scorecards", (*Server).vendorScorecards},
	{"GET /api/v1/vendors/{id}", (*Server).getVendor},
	{"PUT /api/v1/vendors/{id}", (*Server).updateVendor},
	{"DELETE /api/v1/vendors/{id}", (*Server).deleteVendor},
	{"GET /api/v1/vendors/{id}/keys", (*Server).listVendorKeys},
	{"POST /api/v1/vendors/{id}/keys", (*Server).createVendorKey},
	{"GET /api/v1/leads/bought", (*Server).listBoughtLeads},
	{"GET /api/v1/leads/speed", (*Server).leadSpeed},
	{"GET /api/v1/leads/duplicates", (*Server).leadDuplicates},
	{"GET /api/v1/leads/prices", (*Server).leadPrices},
	{"GET /api/v1/leads/trends", (*Server).leadTrends},
	{"GET /api/v1/leads/queue", (*Server).leadQueue},
	{"GET /api/v1/leads/model", (*Server).getLeadModel},
	{"POST /api/v1/leads/model", (*Server).trainLeadModel},
	{"GET /api/v1/leads/{id}", (*Server).getBoughtLead},
	{"GET /api/v1/leads/{id}/consent", (*Server).getLeadConsent},
	{"POST /api/v1/leads/{id}/return", (*Server).returnLead},
	{"GET /api/v1/offers", (*Server).listOffers},
	{"POST /api/v1/offers", (*Server).createOffer},
	{"GET /api/v1/offers/report", (*Server).offerReport},
	{"GET /api/v1/offers/funnel", (*Server).offerFunnel},
	{"GET /api/v1/offers/{id}", (*Server).getOffer},
	{"PUT /api/v1/offers/{id}", (*Server).updateOffer},
	{"DELETE /api/v1/offers/{id}", (*Server).deleteOffer},
	{"GET /api/v1/triggers", (*Server).listTriggers},
	{"POST /api/v1/triggers", (*Server).createTrigger},
	{"PUT /api/v1/triggers/{id}", (*Server).updateTrigger},
	{"DELETE /api/v1/triggers/{id}", (*Server).deleteTrigger},
	{"POST /api/v1/decide", (*Server).decideOffers},
	{"GET /api/v1/decisions/{id}", (*Server).getDecision},
	{"POST /api/v1/outcomes", (*Server).recordOutcomes},
}

// registerAdmin adds the admin API routes, each behind the admin token.
func (s *Server) registerAdmin(mux *http.ServeMux) {
	for _, rt := range adminRoutes {
		mux.HandleFunc(rt.pattern, s.requireAdmin(func(w http.ResponseWriter, r *http.Request) {
			rt.handle(s, w, r)
		}))
	}
}
