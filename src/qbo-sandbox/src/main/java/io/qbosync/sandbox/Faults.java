package io.qbosync.sandbox;

import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;

/** QBO's fault codes with the messages QBO returns (fact sheet §6); one factory method per code. */
final class Faults {
    private Faults() {
    }

    static QboError duplicateName(String clashingId) {
        return new QboError("6240", "Duplicate Name Exists Error",
                "The name supplied already exists. : Id=" + clashingId, "");
    }

    static QboError duplicateDocNumber(String docNumber, String txnType, String txnId) {
        return new QboError("6140", "Duplicate Document Number Error",
                "Duplicate Document Number Error : You must specify a different number. This number has already been used. "
                        + "DocNumber=" + docNumber + " is assigned to TxnType=" + txnType + " with TxnId=" + txnId, "");
    }

    /** A reference to an inactive list object. */
    static QboError inactiveReference(String element) {
        return new QboError("610", "Object Not Found",
                "Object Not Found : Something you're trying to use has been made inactive. "
                        + "Check the fields with accounts, customers, items, vendors or employees.", element);
    }

    /** Read, update or delete of an id that does not exist; {@code plural} is the entity's lower-case plural. */
    static QboError objectNotFound(String plural) {
        return new QboError("610", "Object Not Found",
                "Object Not Found : Something you're trying to use has been made inactive. Check the fields with "
                        + plural + ".", "");
    }

    static QboError deletedTransaction() {
        return new QboError("610", "Object Not Found", "Object Not Found : Another user has deleted this transaction.", "");
    }

    static QboError staleObject() {
        return new QboError("5010", "Stale Object Error",
                "Stale Object Error : You and QBO Sandbox were working on this at the same time. "
                        + "QBO Sandbox finished before you did, so your work was not saved.", "");
    }

    /** {@code group} as QBO words it: "Names" (customer/vendor/employee), "Accounts", "Items"… */
    static QboError invalidReference(String group, String id, String element) {
        return new QboError("2500", "Invalid Reference Id",
                "Invalid Reference Id : " + group + " element id " + id + " not found", element);
    }

    static QboError invalidReferenceName(String group, String name, String element) {
        return new QboError("2500", "Invalid Reference Id",
                "Invalid Reference Id : " + group + " element name " + name + " not found", element);
    }

    static QboError stringLength(String element, int max, int supplied) {
        return new QboError("2050", "String length is either shorter or longer than supported by specification",
                "String length specified does not match the supported length. Min:0 Max:" + grouped(max)
                        + " supported. Supplied length:" + grouped(supplied), element);
    }

    static QboError requiredParam(String name) {
        return new QboError("2020", "Required param missing, need to supply the required value for the API",
                "Required parameter " + name + " is missing in the request", name);
    }

    static QboError invalidProperty(String detail, String element) {
        return new QboError("2010", "Request has invalid or unsupported property", detail, element);
    }

    static QboError unparsableBody() {
        return invalidProperty("Property Name:failed to parse json object; a property specified is unsupported or invalid", "");
    }

    static QboError invalidEnumeration(String value, String element) {
        return new QboError("2170", "Invalid Enumeration", "Invalid Enumeration : " + value, element);
    }

    static QboError businessValidation(String detail) {
        return new QboError("6000", "A business validation error has occurred while processing your request",
                "Business Validation Error: " + detail, "");
    }

    static QboError amountCalculation(BigDecimal supplied) {
        return new QboError("6070", "Amount calculation incorrect in the request",
                "Amount is not equal to UnitPrice * Qty. Supplied value:" + money(supplied), "Amount");
    }

    static QboError parentRefRequired() {
        return new QboError("6150", "ParentRef Required Error",
                "ParentRef is either required or not if Job is true or false.", "ParentRef");
    }

    static QboError queryParse(String detail) {
        return new QboError("4000", "Error parsing query", "QueryParserError: " + detail, "");
    }

    static QboError queryValidation(String detail) {
        return new QboError("4001", "Invalid query", "QueryValidationError: " + detail, "");
    }

    static QboError unsupported(String detail) {
        return new QboError("500", "Unsupported Operation", detail, "");
    }

    static QboFault fault(QboError error) {
        return QboFault.validation(error);
    }

    static QboFault systemFailure(String detail) {
        return new QboFault(500, "SystemFault", List.of(new QboError("10000",
                "An application error has occurred while processing your request", "System Failure Error: " + detail, "")));
    }

    static String grouped(long n) {
        return new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.US)).format(n);
    }

    static String money(BigDecimal n) {
        return new DecimalFormat("#,##0.##", DecimalFormatSymbols.getInstance(Locale.US)).format(n);
    }
}
