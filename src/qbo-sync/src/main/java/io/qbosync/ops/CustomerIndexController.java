package io.qbosync.ops;

import java.security.Principal;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.qbosync.component.qbo.QboFaultException;

/**
 * The QBO customers imported at onboarding, for people (GET: VIEWER; POST: OPERATOR, like all of {@code /api}).
 * <pre>
 * GET  /api/qbo-customers?search=…&amp;limit=20&amp;realm=…   name, company name or e-mail contains the text; each with the
 *                                                    customer record already linked to it, if any
 * GET  /api/onboarding                               the active company's last import and the index sizes
 * POST /api/onboarding                               imports its active customers and items again (links stay)
 * </pre>
 */
@RestController
@RequestMapping("/api")
public class CustomerIndexController {

    private final CustomerIdentity identity;

    public CustomerIndexController(CustomerIdentity identity) {
        this.identity = identity;
    }

    @GetMapping("/qbo-customers")
    public List<CustomerIdentity.QboCustomerView> search(@RequestParam(required = false) String search,
            @RequestParam(defaultValue = "" + CustomerIdentity.DEFAULT_LIMIT) int limit,
            @RequestParam(required = false) String realm) {
        return identity.search(realm, search, limit);
    }

    @GetMapping("/onboarding")
    public CustomerIdentity.OnboardingView onboarding() {
        return identity.status();
    }

    @PostMapping("/onboarding")
    public CustomerIdentity.OnboardingView onboard(Principal who) {
        return identity.onboard(who.getName());
    }

    @ExceptionHandler({IllegalArgumentException.class, IllegalStateException.class})
    ResponseEntity<Map<String, String>> refused(RuntimeException e) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", String.valueOf(e.getMessage())));
    }

    @ExceptionHandler(QboFaultException.class)
    ResponseEntity<Map<String, String>> qboRefused(QboFaultException e) {
        return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(Map.of("error", "QBO " + e.code() + " "
                + e.faultMessage(), "detail", String.valueOf(e.detail())));
    }
}
