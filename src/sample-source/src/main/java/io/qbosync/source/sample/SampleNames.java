package io.qbosync.source.sample;

import java.util.List;

/** Word pools for generated people, companies and places. Invented lists; any resemblance is chance. */
final class SampleNames {
    private SampleNames() {
    }

    static final List<String> FIRST = List.of(
            "Amara", "Benjamin", "Chloé", "Dmitri", "Elena", "Farid", "Grace", "Hiroshi", "Isabel", "Jamal",
            "Katarzyna", "Liam", "Mei", "Nadia", "Oscar", "Paloma", "Quentin", "Rosa", "Samuel", "Tariq",
            "Ursula", "Victor", "Wen", "Ximena", "Yusuf", "Zoë", "Adebayo", "Beatrice", "Carlos", "Daphne",
            "Emeka", "Fiona", "Gustavo", "Hannah", "Ingrid", "José", "Keiko", "Leon", "Marisol", "Nikolai",
            "Olivia", "Pedro", "Rania", "Stefan", "Thandiwe", "Uma", "Valentina", "William", "Yara", "Zachary",
            "Anders", "Bianca", "Cormac", "Delia", "Eitan", "Freya", "Gabriel", "Hamid", "Ines", "Jonah");

    static final List<String> LAST = List.of(
            "Abernathy", "Bergström", "Castellano", "Dubois", "Eriksen", "Fitzgerald", "Gallagher", "Hoffmann",
            "Ibrahim", "Jankowski", "Kowalczyk", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Petrov",
            "Quiroga", "Rossi", "Sandoval", "Tanaka", "Underwood", "Varga", "Whitaker", "Xu", "Yamamoto",
            "Zimmerman", "Adeyemi", "Brennan", "Chowdhury", "Delgado", "Esposito", "Fontaine", "Grünewald",
            "Haddad", "Iversen", "Jimenez", "Kapoor", "Lachance", "Mbeki", "Novak", "Olsen", "Park",
            "Quinn", "Ramírez", "Schultz", "Thornton", "Ueda", "Vasquez", "Wójcik", "Young-Harris",
            "Achterberg", "Bianchi", "Carvalho", "Dunleavy", "Ekström", "Ferreira", "Gordon", "Holm", "Ito", "Keller");

    static final List<String> COMPANY_PREFIX = List.of(
            "Northgate", "Bluewater", "Cedar Ridge", "Ironwood", "Lakeshore", "Summit", "Riverbend", "Oakmont",
            "Silverline", "Granite Peak", "Harborview", "Meadowlark", "Redstone", "Westfield", "Brightpath",
            "Copperfield", "Evergreen", "Foxhollow", "Goldcrest", "Highland", "Juniper", "Kingsbridge",
            "Larkspur", "Maplewood", "Newhaven", "Orchard Lane", "Pinecrest", "Quarry Hill", "Stonebridge", "Tidewater");

    static final List<String> COMPANY_NOUN = List.of(
            "Logistics", "Dental", "Architects", "Bakery", "Consulting", "Engineering", "Florists", "Insurance",
            "Law Group", "Media", "Printing", "Realty", "Software", "Veterinary", "Wealth Advisors",
            "Brewing", "Construction", "Design", "Fitness", "Landscaping");

    static final List<String> COMPANY_SUFFIX = List.of("LLC", "Inc.", "Co.", "Group", "Partners", "Ltd");

    static final List<String> STREETS = List.of(
            "Main St", "Oak Ave", "Harbor Rd", "Elm St", "Market St", "Lakeview Dr", "Church Ln", "Mill Rd",
            "Park Pl", "River St", "Summit Ave", "Union Sq");

    /** City, region pairs. */
    static final List<String[]> CITIES = List.of(
            new String[]{"Portland", "OR"}, new String[]{"Madison", "WI"}, new String[]{"Savannah", "GA"},
            new String[]{"Boise", "ID"}, new String[]{"Burlington", "VT"}, new String[]{"Santa Fe", "NM"},
            new String[]{"Ann Arbor", "MI"}, new String[]{"Asheville", "NC"}, new String[]{"Duluth", "MN"},
            new String[]{"Providence", "RI"});

    static final List<String> DONATION_FUNDS = List.of("scholarship fund", "building fund", "community outreach");

    static final List<String> PAYMENT_METHODS = List.of("card", "check", "bank transfer", "cash");
}
