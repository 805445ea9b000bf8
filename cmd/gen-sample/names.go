package main

// The people of Northwind Pharma: names in their own scripts with their
// ASCII forms, and the departments, titles and sites they work in.

import "strings"

// person is a name in its own script with the ASCII form used in aliases.
type person struct {
	given, sn, agiven, asn string
	// display is the display name when it is not "given sn": Chinese,
	// Japanese and Korean names put the family name first.
	display string
}

func latin(given, sn string) person {
	return person{given: given, sn: sn, agiven: fold(given), asn: fold(sn)}
}

// name is the person's display name.
func (p person) name() string {
	if p.display != "" {
		return p.display
	}
	return p.given + " " + p.sn
}

// fold turns a Latin name into the lower-case ASCII form of an alias.
func fold(s string) string {
	r := strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", "Ä", "ae", "Ö", "oe", "Ü", "ue",
		"å", "a", "Å", "a", "ø", "o", "æ", "ae", "é", "e", "è", "e", "ê", "e", "ë", "e", "á", "a", "à", "a",
		"í", "i", "ì", "i", "ó", "o", "ò", "o", "ú", "u", "ñ", "n", "ç", "c", "ł", "l", "Ł", "l", "ś", "s",
		"ą", "a", "ę", "e", "ź", "z", "ż", "z", "ć", "c", "ń", "n", "š", "s", "č", "c", "ž", "z", "ř", "r",
		"ý", "y", "ğ", "g", "ı", "i", "ş", "s", "É", "e", "Z", "z", "ã", "a", "õ", "o", " ", "", "'", "", "-", "-")
	return r.Replace(strings.ToLower(s))
}

var givenNames = []string{
	"Anna", "Ben", "Carla", "David", "Eva", "Frank", "Greta", "Hugo", "Ines", "Jonas", "Katrin", "Lukas",
	"Maria", "Nils", "Paula", "Stefan", "Tanja", "Uwe", "Vera", "Wolfgang", "Jana", "Thomas", "Sabine",
	"Michael", "Claudia", "Andreas", "Petra", "Markus", "Julia", "Christian", "Sophie", "Emma", "Léa",
	"Chloé", "Mathieu", "Hélène", "Björn", "Ingrid", "Lars", "Mette", "Søren", "Jürgen", "Jörg", "Małgorzata",
	"Tomasz", "João", "Inês", "Gonçalo", "Carmen", "Lucía", "Álvaro", "Francesca", "Giulia", "Marco",
	"Pieter", "Anouk", "Sean", "Aoife", "Oliver", "Charlotte", "Hannah", "Fatma", "Emre", "Kateřina",
}

var surnames = []string{
	"Schmidt", "Meyer", "Weber", "Wagner", "Becker", "Hoffmann", "Koch", "Richter", "Klein", "Wolf",
	"Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt",
	"Werner", "Krause", "Lehmann", "Köhler", "Maier", "Fuchs", "Scholz", "Möller", "Dubois", "Lefèvre",
	"Moreau", "Girard", "Lindqvist", "Johansson", "Nielsen", "Sørensen", "Kowalska", "Nowak", "Ferreira",
	"Gonçalves", "García", "Fernández", "Rossi", "Bianchi", "de Vries", "Jansen", "Murphy", "Walsh",
	"Taylor", "Brown", "Yılmaz", "Demir", "Dvořák", "Novák", "Jäger", "Groß", "Bauer", "Vogel",
}

// Colleagues whose names are not in Latin script, with the ASCII aliases
// their administrators gave them.
var nonLatin = []person{
	{"Иван", "Петров", "ivan", "petrov", ""},
	{"Ольга", "Смирнова", "olga", "smirnova", ""},
	{"Дмитрий", "Козлов", "dmitri", "kozlov", ""},
	{"Наталья", "Иванова", "natalia", "ivanova", ""},
	{"Олександр", "Шевченко", "oleksandr", "shevchenko", ""},
	{"Γιώργος", "Παπαδόπουλος", "giorgos", "papadopoulos", ""},
	{"Ελένη", "Γεωργίου", "eleni", "georgiou", ""},
	{"娜", "李", "na", "li", "李娜"},
	{"伟", "王", "wei", "wang", "王伟"},
	{"太郎", "田中", "taro", "tanaka", "田中 太郎"},
	{"花子", "佐藤", "hanako", "sato", "佐藤 花子"},
	{"민준", "김", "minjun", "kim", "김민준"},
	{"أحمد", "المصري", "ahmed", "elmasry", ""},
	{"ليلى", "حداد", "leila", "haddad", ""},
}

var (
	departments = []string{"Research & Development", "Clinical Trials", "Manufacturing", "Quality Assurance",
		"Regulatory Affairs", "Sales", "Marketing", "Finance", "Human Resources", "IT", "Legal", "Logistics"}
	titles = []string{"Scientist", "Senior Scientist", "Lab Technician", "Clinical Research Associate", "Engineer",
		"Analyst", "Specialist", "Team Lead", "Manager", "Assistant", "Coordinator", "Consultant"}
	sites = []struct{ office, street, city, state, zip, c, co, phone, mobile string }{
		{"Hamburg HQ", "Am Sandtorkai 12", "Hamburg", "HH", "20457", "DE", "Germany", "+49 40 5550", "+49 170 "},
		{"Basel Lab", "Hochbergerstrasse 60", "Basel", "BS", "4057", "CH", "Switzerland", "+41 61 5550", "+41 79 "},
		{"Lyon Plant", "12 Rue de Gerland", "Lyon", "ARA", "69007", "FR", "France", "+33 4 7255", "+33 6 "},
		{"Leeds Office", "1 Wellington Place", "Leeds", "WYK", "LS1 4AP", "GB", "United Kingdom", "+44 113 4960", "+44 7700 "},
	}
)
