from django.urls import path

from refunds import views

app_name = "refunds"
urlpatterns = [
    path("purchases/", views.purchases, name="purchases"),
    path("purchases/<int:enrollment_id>/refund/", views.request_refund, name="request_refund"),
    path("staff/refunds/", views.staff_queue, name="staff_queue"),
    path("staff/refunds/<int:refund_id>/", views.decide, name="decide"),
]
