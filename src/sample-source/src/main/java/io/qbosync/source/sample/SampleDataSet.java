package io.qbosync.source.sample;

import io.qbosync.source.feed.SourceCompany;
import io.qbosync.source.feed.SourceContact;
import io.qbosync.source.feed.SourceInvoice;
import io.qbosync.source.feed.SourcePayment;

import java.util.List;

/** A generated data set, each list in id order. */
public record SampleDataSet(
        List<SourceContact> contacts,
        List<SourceCompany> companies,
        List<SourceInvoice> invoices,
        List<SourcePayment> payments) {

    public SampleDataSet {
        contacts = List.copyOf(contacts);
        companies = List.copyOf(companies);
        invoices = List.copyOf(invoices);
        payments = List.copyOf(payments);
    }

    /** Number of records of all kinds. */
    public int size() {
        return contacts.size() + companies.size() + invoices.size() + payments.size();
    }
}
