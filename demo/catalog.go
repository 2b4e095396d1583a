package demo

// product is an item of the demo shop's catalogue.
type product struct {
	id, sku, name, category, brand string
	price, cost                    float64
}

// catalog spans a few categories and brands so that revenue by category
// and brand has something to show.
var catalog = []product{
	{"P-1001", "NP-TR2-42", "Trail Runner 2", "Shoes", "Northpeak", 119.00, 52.00},
	{"P-1002", "UF-CS-40", "City Sneaker", "Shoes", "Urbanfoot", 79.50, 31.00},
	{"P-1003", "NP-RS-M", "Rain Shell", "Jackets", "Northpeak", 149.00, 61.00},
	{"P-1004", "NP-DJ-L", "Down Jacket", "Jackets", "Northpeak", 229.00, 98.00},
	{"P-1005", "CA-DP20", "Daypack 20L", "Bags", "Carryall", 59.90, 22.00},
	{"P-1006", "CA-WK35", "Weekender 35L", "Bags", "Carryall", 129.00, 47.00},
	{"P-1007", "UF-WS-3", "Wool Socks (3 pairs)", "Accessories", "Urbanfoot", 24.00, 7.50},
	{"P-1008", "CA-WB-1", "Insulated Bottle", "Accessories", "Carryall", 29.00, 9.00},
	{"P-1009", "LU-HL-200", "Head Lamp 200", "Gear", "Lumen", 39.00, 14.00},
	{"P-1010", "LU-TN-2", "Two-Person Tent", "Gear", "Lumen", 289.00, 140.00},
	{"P-1011", "NP-TC-1", "Trail Cap", "Accessories", "Northpeak", 22.00, 6.50},
	{"P-1012", "LU-CL-1", "Camp Lantern", "Gear", "Lumen", 34.00, 12.00},
	{"P-1013", "UF-RG-M", "Running Gloves", "Accessories", "Urbanfoot", 27.00, 8.00},
}

// company is a B2B account that some people buy for.
type company struct {
	slug, name, industry string
	employees            int
	revenue              float64
}

var companies = []company{
	{"acme-outdoor", "Acme Outdoor Co.", "Retail", 240, 38e6},
	{"summit-guides", "Summit Guides Ltd", "Tourism", 35, 4.2e6},
	{"riverbend-school", "Riverbend School District", "Education", 1200, 95e6},
	{"brightpath", "BrightPath Logistics", "Logistics", 580, 120e6},
	{"northwind-events", "Northwind Events", "Events", 18, 1.9e6},
}

var (
	firstNames = []string{"Ann", "Ben", "Chloé", "David", "Emma", "Farid", "Grace", "Hiro", "Isabel", "Jonas",
		"Kemi", "Liam", "Maria", "Noah", "Olga", "Priya", "Quinn", "Rosa", "Sam", "Tomás", "Uma", "Victor", "Wei", "Yara", "Zoe"}
	lastNames = []string{"Smith", "Garcia", "Müller", "Nguyen", "Okafor", "Rossi", "Kowalski", "Tanaka", "Dubois",
		"Johansson", "Patel", "Brown", "Silva", "Cohen", "Murphy", "Novak"}
	mailDomains     = []string{"gmail.com", "outlook.com", "yahoo.com", "icloud.com", "proton.me", "example.org"}
	areaCodes       = []string{"212", "312", "415", "512", "617", "206", "303", "404"}
	genders         = []string{"female", "male", "female", "male", "non-binary"}
	cities          = []string{"New York", "Chicago", "San Francisco", "Austin", "Boston", "Seattle", "Denver", "Atlanta"}
	plans           = []string{"free", "free", "basic", "basic", "premium"}
	maritalStatuses = []string{"single", "married", "married", "divorced", "widowed"}
	incomeBands     = []string{"<25k", "25-50k", "50-75k", "75-100k", "100-150k", ">150k"}
	jobTitles       = []string{"Purchasing Manager", "Office Manager", "Head of Operations", "Buyer", "CEO"}
	pages           = []string{"/", "/shoes", "/jackets", "/bags", "/gear", "/sale", "/about", "/blog/layering-guide"}
	screens         = []string{"Home", "Catalog", "Product", "Cart", "Account"}
	campaigns       = []map[string]any{
		{"source": "google", "medium": "cpc", "name": "spring-sale"},
		{"source": "newsletter", "medium": "email", "name": "weekly"},
		{"source": "instagram", "medium": "social", "name": "trail-season"},
		{"source": "partner-blog", "medium": "referral", "name": "gear-review"},
	}
	userAgents = []string{
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
	}
)
