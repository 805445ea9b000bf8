package snapshot

import "testing"

// An entry without objectClass is classified only from what is certain.
func TestClassifyWithoutObjectClass(t *testing.T) {
	for _, tc := range []struct {
		name  string
		attrs map[string][]string
		kind  ObjectKind
		basis string
	}{
		{"objectClass decides", map[string][]string{"objectclass": {"top", "person", "organizationalPerson", "user"}, "samaccounttype": {"805306369"}}, KindUser, BasisObjectClass},
		{"normal user account type", map[string][]string{"samaccounttype": {"805306368"}}, KindUser, BasisSAMAccountType},
		{"machine account type", map[string][]string{"samaccounttype": {"805306369"}}, KindComputer, BasisSAMAccountType},
		{"trust account type is a user object", map[string][]string{"samaccounttype": {"805306370"}}, KindUser, BasisSAMAccountType},
		{"security group", map[string][]string{"samaccounttype": {"268435456"}}, KindGroup, BasisSAMAccountType},
		{"distribution group", map[string][]string{"samaccounttype": {"268435457"}}, KindGroup, BasisSAMAccountType},
		{"domain local group (alias)", map[string][]string{"samaccounttype": {"536870912"}}, KindGroup, BasisSAMAccountType},
		{"non-security alias", map[string][]string{"samaccounttype": {"536870913"}}, KindGroup, BasisSAMAccountType},
		{"undocumented account type", map[string][]string{"samaccounttype": {"12345"}}, KindUnclassified, ""},
		{"computer category", map[string][]string{"objectcategory": {"CN=Computer,CN=Schema,CN=Configuration,DC=corp,DC=example,DC=com"}}, KindComputer, BasisObjectCategory},
		{"group category", map[string][]string{"objectcategory": {"CN=Group,CN=Schema,CN=Configuration,DC=corp,DC=example,DC=com"}}, KindGroup, BasisObjectCategory},
		{"person alone may be a contact", map[string][]string{"objectcategory": {"CN=Person,CN=Schema,CN=Configuration,DC=corp,DC=example,DC=com"}, "mail": {"a@example.com"}}, KindUnclassified, ""},
		{"person with an account name is a user", map[string][]string{"objectcategory": {"CN=Person,CN=Schema,CN=Configuration,DC=x"}, "samaccountname": {"jdoe"}}, KindUser, BasisObjectCategory},
		{"person with userAccountControl is a user", map[string][]string{"objectcategory": {"CN=Person,CN=Schema,CN=Configuration,DC=x"}, "useraccountcontrol": {"512"}}, KindUser, BasisObjectCategory},
		{"OU category is other", map[string][]string{"objectcategory": {"CN=Organizational-Unit,CN=Schema,CN=Configuration,DC=x"}}, KindOther, BasisObjectCategory},
		{"normal account bit", map[string][]string{"useraccountcontrol": {"66048"}, "samaccountname": {"jdoe"}}, KindUser, BasisAccountControl},
		{"disabled normal account", map[string][]string{"useraccountcontrol": {"514"}}, KindUser, BasisAccountControl},
		{"workstation trust with $", map[string][]string{"useraccountcontrol": {"4096"}, "samaccountname": {"WS01$"}}, KindComputer, BasisAccountControl},
		{"domain controller", map[string][]string{"useraccountcontrol": {"532480"}, "samaccountname": {"DC01$"}}, KindComputer, BasisAccountControl},
		{"workstation trust without $ is doubtful", map[string][]string{"useraccountcontrol": {"4096"}, "samaccountname": {"ws01"}}, KindUnclassified, ""},
		{"no account-type bit", map[string][]string{"useraccountcontrol": {"2"}}, KindUnclassified, ""},
		{"two account-type bits", map[string][]string{"useraccountcontrol": {"4608"}}, KindUnclassified, ""},
		{"sAMAccountType and userAccountControl disagree", map[string][]string{"samaccounttype": {"805306368"}, "useraccountcontrol": {"4096"}}, KindUnclassified, ""},
		{"sAMAccountType and objectCategory agree", map[string][]string{"samaccounttype": {"805306369"}, "objectcategory": {"CN=Computer,CN=Schema,CN=Configuration,DC=x"}, "useraccountcontrol": {"4096"}, "samaccountname": {"WS$"}}, KindComputer, BasisSAMAccountType},
		{"name alone tells nothing", map[string][]string{"samaccountname": {"jdoe"}, "mail": {"j@example.com"}}, KindUnclassified, ""},
		{"nothing", map[string][]string{}, KindUnclassified, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			kind, basis := Classify(tc.attrs)
			if kind != tc.kind || basis != tc.basis {
				t.Errorf("Classify = %s, %q; want %s, %q", kind, basis, tc.kind, tc.basis)
			}
		})
	}
}

// The counts and notes a collector writes into its source.
func TestEntryCountFillsTheSource(t *testing.T) {
	var c EntryCount
	obj := func(dn string, attrs map[string]string) *DirObject {
		raw := map[string][][]byte{}
		for k, v := range attrs {
			raw[k] = [][]byte{[]byte(v)}
		}
		return NewDirObject(dn, raw)
	}
	c.Add(obj("CN=a,DC=x", map[string]string{"objectClass": "user"}), 1)
	c.Add(obj("CN=b,DC=x", map[string]string{"userAccountControl": "512"}), 1)
	c.Add(obj("CN=c,DC=x", nil), 0)
	c.Add(obj("CN=d,DC=x", nil), 0)
	c.Add(obj("CN=e,DC=x", map[string]string{"memberOf": "CN=g,DC=x"}), 1)
	var src Source
	c.Fill(&src)
	if src.Unclassified != 1 || src.DNOnly != 2 || len(src.Notes) != 3 {
		t.Fatalf("unclassified %d, dn_only %d, notes %q; want 1, 2 and three notes", src.Unclassified, src.DNOnly, src.Notes)
	}
	for i, want := range []string{"2 entries carried only their DN", `1 entry carried no objectClass and nothing else that tells user, contact, group or computer apart (first: "CN=e,DC=x")`, "1 entry carried no objectClass and was classified from what is certain (1 from userAccountControl)"} {
		if len(src.Notes[i]) < len(want) || src.Notes[i][:len(want)] != want {
			t.Errorf("note %d = %q, want it to start %q", i, src.Notes[i], want)
		}
	}
}
