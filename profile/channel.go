package profile

import (
	"strings"

	"github.com/rapportdev/rapport"
)

// Channels an event or an order can come through.
const (
	ChannelWeb     = "web"
	ChannelMobile  = "mobile"
	ChannelServer  = "server"
	ChannelInStore = "in-store"
	ChannelPhone   = "phone"
)

// channelWords maps the words sources use for a channel to Rapport's.
// Words not listed are kept, lower-cased and trimmed.
var channelWords = map[string]string{
	"web": ChannelWeb, "online": ChannelWeb, "website": ChannelWeb, "browser": ChannelWeb,
	"mobile": ChannelMobile, "app": ChannelMobile, "ios": ChannelMobile, "android": ChannelMobile,
	"store": ChannelInStore, "in_store": ChannelInStore, "in-store": ChannelInStore,
	"instore": ChannelInStore, "in store": ChannelInStore, "pos": ChannelInStore, "retail": ChannelInStore,
	"phone": ChannelPhone, "call_center": ChannelPhone, "call-center": ChannelPhone,
	"call center": ChannelPhone, "callcenter": ChannelPhone, "telephone": ChannelPhone,
	"server": ChannelServer, "backend": ChannelServer,
}

// normalizeChannel maps a channel word to Rapport's name for it.
func normalizeChannel(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if c, ok := channelWords[s]; ok {
		return c
	}
	return s
}

// mobileLibraries and webLibraries are fragments of context.library.name
// that tell where an SDK runs (analytics-ios, rudder-sdk-android,
// @segment/analytics-react-native, analytics.js, rudder-sdk-js, ...).
var (
	mobileLibraries = []string{"ios", "android", "react-native", "flutter", "kotlin", "swift", "xamarin"}
	webLibraries    = []string{"analytics.js", "analytics-next", "javascript", "rudder-sdk-js", "browser"}
)

// eventChannel is the channel an event came through: context.channel when
// it is a non-empty string (normalised as above); else derived from
// context.library.name: a browser SDK means "web", a mobile SDK "mobile",
// and anything else (server libraries, HTTP calls without a library, CSV
// imports) "server".
func eventChannel(ev *rapport.Event) string {
	if s, ok := ev.Context["channel"].(string); ok {
		if c := normalizeChannel(s); c != "" {
			return c
		}
	}
	lib, _ := ev.Context["library"].(map[string]any)
	name, _ := lib["name"].(string)
	name = strings.ToLower(name)
	for _, frag := range mobileLibraries {
		if strings.Contains(name, frag) {
			return ChannelMobile
		}
	}
	for _, frag := range webLibraries {
		if strings.Contains(name, frag) {
			return ChannelWeb
		}
	}
	return ChannelServer
}
